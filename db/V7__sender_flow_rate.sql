-- Admission control: money per second into an account from one sender address (its ConnectionNewAddress), over all
-- that sender's connections: the sender-quota reason. Null takes INLET_SENDER_FLOW_RATE.
ALTER TABLE account_limits ADD COLUMN sender_flow_rate uint64 CHECK (sender_flow_rate > 0);
