package dev.loopwire.protocol;

import java.util.List;

/** The approval policy of a loop. {@code mode}: {@code ask} (default), {@code auto}, {@code deny}; {@code onReject}: {@code continue} (default) or {@code stop}; {@code iterations} (CLI agents): {@code every}, {@code first}, {@code never}; {@code ttlSeconds}: how long an approval stays open (null: no expiry). */
public record ApprovalConfig(String mode, List<ApprovalRule> rules, String onReject, String iterations, Double ttlSeconds) {
}
