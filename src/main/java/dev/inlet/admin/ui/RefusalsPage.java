package dev.inlet.admin.ui;

import dev.inlet.admission.Refusals;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * Who is being refused and why ({@code GET /admin/ui/refusals}): this replica's refusals since
 * start by where (SPSP, merchant API, ILP) and reason, and the parties refused recently — client
 * addresses, API key prefixes, sender addresses, connections — from {@link Refusals}, as {@code GET
 * /admin/admission/refusals} lists them. Read from memory: no database query.
 */
final class RefusalsPage {
  private final Refusals refusals;

  RefusalsPage(Refusals refusals) {
    this.refusals = refusals;
  }

  Mono<ServerResponse> page(ServerRequest request) {
    List<Map<String, Object>> recent = new ArrayList<>();
    for (Refusals.Recent r : refusals.recent()) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("where", r.where());
      row.put("who", r.who());
      row.put("reason", r.reason());
      row.put("count", r.count());
      row.put("first", r.first().toString());
      row.put("last", r.last().toString());
      recent.add(row);
    }
    return Pages.render(
        request,
        "refusals",
        Map.of(
            "totals",
            refusals.totals(),
            "recent",
            recent,
            "keptMinutes",
            Refusals.kept.toMinutes(),
            "maxTracked",
            Refusals.maxTracked));
  }
}
