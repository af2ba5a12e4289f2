package dev.loopwire.protocol;


/** One answer a person can give to an approval. */
public record ApprovalOption(String decision, String label) {
}
