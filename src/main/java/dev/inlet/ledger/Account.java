package dev.inlet.ledger;

import java.time.Instant;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A receiving account: its name is the path of its payment pointer ({@code $host/name}) and the ILP
 * address segment it receives on ({@code <inlet address>.name.<token>}).
 *
 * @param id database id
 * @param name 1..64 characters of {@code [A-Za-z0-9_~-]} (an ILP address segment, RFC 0015)
 * @param assetCode asset code
 * @param assetScale asset scale, 0..255
 * @param balance sum of the account's entries, unsigned 64-bit, smallest unit
 * @param reserved what its payouts and refunds hold (pending transfers); {@code balance - reserved}
 *     is what it has available, never negative
 * @param received total ever credited, unsigned 64-bit
 * @param receiveLimit the most the account will ever receive, unsigned 64-bit, or null for no limit
 * @param createdAt creation time
 * @param merchantId the merchant that owns it (its invoices, events and webhooks), or null
 */
public record Account(
    long id,
    String name,
    String assetCode,
    int assetScale,
    long balance,
    long reserved,
    long received,
    Long receiveLimit,
    Instant createdAt,
    Long merchantId) {

  private static final Pattern validName = Pattern.compile("[A-Za-z0-9_~-]{1,64}");

  /** {@link #isValidName}'s rule, in words for problem documents. */
  public static final String nameRule =
      "1 to 64 characters of A-Z a-z 0-9 _ ~ - and not one of ilp, admin, actuator";

  /** Names that would shadow Inlet's own paths. */
  private static final Set<String> reservedNames =
      Set.of("ilp", "admin", "actuator", "livez", "readyz");

  /** Whether {@code name} may name an account: a valid address segment that no Inlet path uses. */
  public static boolean isValidName(String name) {
    return name != null && validName.matcher(name).matches() && !reservedNames.contains(name);
  }
}
