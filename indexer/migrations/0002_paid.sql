-- What each event paid the miner: all of a payment, the settlement that
-- ended the booking for a stop (the broker tells it inside BookingStopped,
-- not in a MinerPayout of its own), nothing for a complaint. Events indexed
-- before are payments whose stops carried no settlement.
ALTER TABLE broker_events ADD COLUMN paid_seconds BIGINT NOT NULL DEFAULT 0;

ALTER TABLE broker_events ADD COLUMN paid_amount TEXT NOT NULL DEFAULT '0';

UPDATE broker_events SET paid_seconds = seconds, paid_amount = amount WHERE kind = 'payment';
