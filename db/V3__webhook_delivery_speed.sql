-- Webhook dispatcher (dev.inlet.webhook.DeliveryQueue.claim): due deliveries are claimed per webhook, each webhook
-- taking at most its free slots, so that a webhook with a large backlog whose slots are all in use costs the claim
-- nothing. The claim finds the webhooks with pending deliveries by skipping through this index (one descent per
-- webhook), then reads each one's oldest due deliveries from it. A backlog of any size under one busy webhook is
-- then never scanned, which the global due-order index (V2, webhook_deliveries_due) could not avoid: the claim
-- filtered the busy webhook's rows out one by one. That index has no other reader and is dropped: every claim and
-- every outcome moves next_attempt_at, and each partial index on it is a write per row.
CREATE INDEX webhook_deliveries_pending ON webhook_deliveries (webhook_id, next_attempt_at) WHERE state = 'pending';
DROP INDEX webhook_deliveries_due;
