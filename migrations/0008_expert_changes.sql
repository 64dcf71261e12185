-- Which experts were added or changed their address, name, affiliation or standing, in commit
-- order. Pages that list every expert keep their names in memory and read again only these;
-- triggers fill it whatever path writes.
CREATE TABLE expert_changes (
    seq       INTEGER PRIMARY KEY,
    expert_id INTEGER NOT NULL
);

CREATE TRIGGER expert_changes_insert AFTER INSERT ON experts
BEGIN
    INSERT INTO expert_changes (expert_id) VALUES (new.id);
END;

CREATE TRIGGER expert_changes_update AFTER UPDATE OF slug, name, affiliation, retracted_at ON experts
BEGIN
    INSERT INTO expert_changes (expert_id) VALUES (new.id);
END;
