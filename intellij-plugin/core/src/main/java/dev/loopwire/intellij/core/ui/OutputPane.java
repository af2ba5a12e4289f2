package dev.loopwire.intellij.core.ui;

import com.google.gson.Gson;
import dev.loopwire.intellij.core.OutputEntry;
import dev.loopwire.protocol.ToolCall;
import java.awt.Color;
import java.awt.Font;
import java.util.List;
import javax.swing.JTextPane;
import javax.swing.text.BadLocationException;
import javax.swing.text.SimpleAttributeSet;
import javax.swing.text.StyleConstants;
import javax.swing.text.StyledDocument;

/**
 * The streamed output of one loop: assistant text, thoughts (grey italics), tool calls (bold,
 * with their input), tool results and log lines. New output is appended to the document
 * instead of re-rendering everything, so a long stream stays cheap.
 */
final class OutputPane extends JTextPane {

    private static final long serialVersionUID = 1L;
    private static final Gson GSON = new Gson();
    private static final int MAX_INPUT_CHARS = 400;

    private String loopId;
    private int rendered;       // entries fully or partly in the document
    private int lastTextLength; // text length of the last rendered entry
    private int lastIteration = -1;
    private String lastKind = "";

    OutputPane() {
        setName("loopwire.output");
        setEditable(false);
        setFont(new Font(Font.MONOSPACED, Font.PLAIN, getFont().getSize()));
    }

    /** Shows {@code output} of {@code id}: appends what is new, or renders afresh for another loop. */
    void show(String id, List<OutputEntry> output) {
        boolean sameLoop = id != null && id.equals(loopId);
        if (!sameLoop || output.size() < rendered || (rendered > 0
                && output.get(rendered - 1).text().length() < lastTextLength)) {
            clear();
            loopId = id;
        }
        StyledDocument doc = getStyledDocument();
        try {
            if (rendered > 0) {
                OutputEntry last = output.get(rendered - 1);
                if (last.text().length() > lastTextLength && isJoinable(last)) {
                    doc.insertString(doc.getLength(), last.text().substring(lastTextLength), style(last.kind()));
                    lastTextLength = last.text().length();
                }
            }
            for (int i = rendered; i < output.size(); i++) {
                append(doc, output.get(i));
            }
        } catch (BadLocationException e) {
            throw new IllegalStateException(e);
        }
        rendered = output.size();
        setCaretPosition(doc.getLength());
    }

    void clear() {
        setText("");
        loopId = null;
        rendered = 0;
        lastTextLength = 0;
        lastIteration = -1;
        lastKind = "";
    }

    private void append(StyledDocument doc, OutputEntry e) throws BadLocationException {
        if (e.iteration() != lastIteration) {
            if (doc.getLength() > 0) {
                doc.insertString(doc.getLength(), "\n", null);
            }
            doc.insertString(doc.getLength(), UiText.get("output.iteration", e.iteration()) + "\n", style("header"));
            lastIteration = e.iteration();
        }
        if (doc.getLength() > 0 && !endsWithNewline(doc) && (!isJoinable(e) || !e.kind().equals(lastKind))) {
            doc.insertString(doc.getLength(), "\n", null);
        }
        switch (e.kind()) {
            case "tool_call" -> doc.insertString(doc.getLength(), "\u25b6 " + describe(e.toolCall(), e.text()) + "\n",
                    style("tool_call"));
            case "tool_result" -> doc.insertString(doc.getLength(), "  \u21b3 " + result(e.toolCall(), e.text()) + "\n",
                    style("tool_result"));
            case "log" -> doc.insertString(doc.getLength(), e.text() + "\n", style("log"));
            default -> doc.insertString(doc.getLength(), e.text(), style(e.kind()));
        }
        lastTextLength = e.text().length();
        lastKind = e.kind();
    }

    private static boolean endsWithNewline(StyledDocument doc) throws BadLocationException {
        return doc.getText(doc.getLength() - 1, 1).equals("\n");
    }

    private static boolean isJoinable(OutputEntry e) {
        return "text".equals(e.kind()) || "thought".equals(e.kind());
    }

    private static String describe(ToolCall call, String text) {
        if (call == null) {
            return text;
        }
        String input = call.input() == null ? "" : GSON.toJson(call.input());
        if (input.length() > MAX_INPUT_CHARS) {
            input = input.substring(0, MAX_INPUT_CHARS) + "\u2026";
        }
        return call.name() + " " + input;
    }

    private static String result(ToolCall call, String text) {
        String status = call == null || call.status() == null ? "" : call.status() + ": ";
        String out = call != null && call.output() != null ? call.output() : text;
        if (out != null && out.length() > MAX_INPUT_CHARS) {
            out = out.substring(0, MAX_INPUT_CHARS) + "\u2026";
        }
        return status + (out == null ? "" : out.strip());
    }

    private static SimpleAttributeSet style(String kind) {
        SimpleAttributeSet a = new SimpleAttributeSet();
        switch (kind) {
            case "thought" -> {
                StyleConstants.setItalic(a, true);
                StyleConstants.setForeground(a, Color.GRAY);
            }
            case "tool_call" -> {
                StyleConstants.setBold(a, true);
                StyleConstants.setForeground(a, new Color(0x2B, 0x5B, 0x9E));
            }
            case "tool_result" -> StyleConstants.setForeground(a, new Color(0x3C, 0x7A, 0x4C));
            case "log" -> StyleConstants.setForeground(a, new Color(0x80, 0x80, 0x80));
            case "header" -> {
                StyleConstants.setForeground(a, new Color(0x99, 0x99, 0x99));
                StyleConstants.setBold(a, true);
            }
            default -> { }
        }
        return a;
    }
}
