-- /statistik reads counts and medians over a period of cases: a covering index lets it read
-- only the index (measured at 100,000 cases: the window's rows no longer touch the table).
CREATE INDEX cases_stats ON cases (
    created_at, status, category, urgent, first_reply_at, closed_at, erased_at
);
