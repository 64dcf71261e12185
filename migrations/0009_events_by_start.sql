-- Lists of events go newest first a page at a time: with this index SQLite reads the page's
-- events in order and counts the predictions of those alone, instead of sorting every event
-- (and counting every event's predictions) to find the page.
CREATE INDEX events_by_start ON events (starts_on DESC, title);
