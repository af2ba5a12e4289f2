package dev.loopwire.protocol;


/** Params of {@code loop/resume}; a given {@code budget} replaces the loop's budget (fields left null keep their value). */
public record ResumeParams(String loopId, Budget budget) {
}
