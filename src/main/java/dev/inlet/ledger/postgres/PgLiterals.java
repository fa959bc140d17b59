package dev.inlet.ledger.postgres;

/**
 * Builds PostgreSQL array-of-composite literals, {@code {"(f1,f2,…)","(…)"}}, for the ledger's
 * batch statement: one text value per array, parsed by the server, instead of a parameter per
 * column. Each record is a quoted array element, so a field that needs quoting is quoted twice: as
 * a record field ({@code "} and {@code \} doubled or backslashed) inside an array element ({@code
 * "} and {@code \} backslashed). Numbers and booleans need neither and are appended by the caller
 * as they are; an empty field is NULL.
 *
 * <p>Use: a builder holding the opening brace, then per record {@link #openRecord}, the fields
 * separated by commas, {@link #closeRecord}; then {@link #closeArray}.
 */
final class PgLiterals {
  private static final char[] hexDigits = "0123456789abcdef".toCharArray();

  private PgLiterals() {}

  /**
   * Starts a record: a comma after the previous one, then the element's and the record's opening.
   */
  static void openRecord(StringBuilder b) {
    if (b.length() > 1) {
      b.append(',');
    }
    b.append("\"(");
  }

  static void closeRecord(StringBuilder b) {
    b.append(")\"");
  }

  static String closeArray(StringBuilder b) {
    return b.append('}').toString();
  }

  /**
   * A text field of any content (an ILP address, a nested array literal): quoted for the record,
   * then for the array. An empty string stays an empty string, not NULL.
   */
  static void textField(StringBuilder b, CharSequence value) {
    b.append("\\\"");
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"') {
        // Record: "" — then each quote backslashed for the array.
        b.append("\\\"\\\"");
      } else if (c == '\\') {
        // Record: \\ — then each backslash backslashed for the array.
        b.append("\\\\\\\\");
      } else {
        b.append(c);
      }
    }
    b.append("\\\"");
  }

  /**
   * A bytea field in hex input format, {@code \x0a1b…}: its one backslash escaped at both levels.
   */
  static void byteaField(StringBuilder b, byte[] value) {
    b.ensureCapacity(b.length() + 2 * value.length + 8);
    b.append("\\\\\\\\x");
    for (byte v : value) {
      b.append(hexDigits[(v >> 4) & 0xf]).append(hexDigits[v & 0xf]);
    }
  }
}
