package dev.inlet.events;

/**
 * One event of the outbox ({@code events}, db/V2) as it is sent.
 *
 * @param id its place in commit order: an event becomes visible only after every smaller id
 * @param merchantId whose event; null for an account no merchant owns (such events reach no stream)
 * @param type its wire name ({@link EventType})
 * @param json as {@code inlet_event_json(e)::text} renders it: exactly what streams, pages and
 *     webhooks send
 */
public record Event(long id, Long merchantId, String type, String json) {}
