-- The schema as the indexer made it before its schema was versioned, every
-- statement IF NOT EXISTS: a database that code made takes this migration
-- as already applied, and keeps its data. Never edit an applied migration
-- (sqlx refuses a database whose applied migrations changed): add the next
-- numbered file.
CREATE TABLE IF NOT EXISTS indexed (id INTEGER PRIMARY KEY, last_block BIGINT NOT NULL);

CREATE TABLE IF NOT EXISTS broker_events (
    block_number BIGINT NOT NULL,
    event_index BIGINT NOT NULL,
    extrinsic_index BIGINT,
    block_time BIGINT NOT NULL,
    kind TEXT NOT NULL,
    booking_id BIGINT NOT NULL,
    user_account TEXT NOT NULL,
    miner TEXT NOT NULL,
    reason BIGINT,
    seconds BIGINT NOT NULL,
    amount TEXT NOT NULL,
    PRIMARY KEY (block_number, event_index));

CREATE INDEX IF NOT EXISTS events_by_miner ON broker_events (miner, block_number, event_index);

CREATE INDEX IF NOT EXISTS events_by_user ON broker_events (user_account, block_number, event_index);

CREATE TABLE IF NOT EXISTS contract_events (
    block_number BIGINT NOT NULL,
    event_index BIGINT NOT NULL,
    extrinsic_index BIGINT,
    block_time BIGINT NOT NULL,
    contract TEXT NOT NULL,
    name TEXT NOT NULL,
    text TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (block_number, event_index));
