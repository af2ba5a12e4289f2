package dev.loopwire.protocol;


/** An approval rule: {@code tool} (name or {@code *}), {@code match} (glob on the command or path, optional), {@code decision} ({@code allow}, {@code ask} or {@code deny}). */
public record ApprovalRule(String tool, String match, String decision) {
}
