-- New predictions are added to the search index by the one code path that inserts them
-- (db::dataset), a batch at a time. A trigger did it row by row, and FTS5 flushes its pending
-- terms at every statement a trigger runs: at a million rows that was most of an import's time.
-- Updates keep their triggers: they are few.
DROP TRIGGER predictions_search_insert;
