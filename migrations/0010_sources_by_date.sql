-- Sources are listed newest first, a page at a time (the API, the prediction form's list): with
-- this index SQLite reads the page's sources in order instead of sorting every source, and
-- counting every source's predictions, to find it.
CREATE INDEX sources_by_date ON sources (published_on DESC, outlet, id);
