-- The day the office closed a round: its results are dated with it (the
-- planned end, closes_on, is when input was asked for by). Rounds closed
-- before this column existed keep NULL and are dated with closes_on.
ALTER TABLE rounds ADD COLUMN closed_on TEXT;
