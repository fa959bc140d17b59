package dev.inlet.transport;

/**
 * Which request-targets the ILP-over-HTTP listener ({@link IlpHttpConnectionHandler}) takes for
 * {@code /ilp} (RFC 9112 §3.2).
 */
final class IlpRequestTarget {
  private static final String path = "/ilp";

  private IlpRequestTarget() {}

  /**
   * Whether a request-target names {@code /ilp}: in origin form, with or without a query, or in
   * absolute form ({@code http://host/ilp}, RFC 9112 §3.2.2). Nothing is decoded: {@code /ilp/},
   * {@code /ILP} and {@code /%69lp} are other paths.
   */
  static boolean isIlpPath(String target) {
    int start = 0;
    if (!target.startsWith("/")) {
      int scheme = target.indexOf("://");
      start = scheme < 0 ? -1 : target.indexOf('/', scheme + 3);
      if (start < 0) {
        return false;
      }
    }
    int end = start + path.length();
    return target.startsWith(path, start) && (target.length() == end || target.charAt(end) == '?');
  }
}
