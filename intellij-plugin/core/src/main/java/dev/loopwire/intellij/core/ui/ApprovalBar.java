package dev.loopwire.intellij.core.ui;

import com.google.gson.GsonBuilder;
import dev.loopwire.protocol.Decision;
import dev.loopwire.protocol.PendingApproval;
import java.awt.BorderLayout;
import java.awt.Color;
import java.awt.FlowLayout;
import java.awt.Font;
import javax.swing.BorderFactory;
import javax.swing.JButton;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JScrollPane;
import javax.swing.JTextArea;

/**
 * The bar shown while a loop waits for a decision: what is asked, why, the tool and its input,
 * and Approve / Always / Deny. A click hands the decision to the {@link Handler} and disables
 * the buttons until another approval is shown (or {@link #enableButtons()} after a failure).
 */
public final class ApprovalBar extends JPanel {

    private static final long serialVersionUID = 1L;

    /** Receives the person's decision. */
    @FunctionalInterface
    public interface Handler {
        /** @param approval what was asked; @param decision the answer */
        void decide(PendingApproval approval, Decision decision);
    }

    private final JLabel title = new JLabel();
    private final JLabel reason = new JLabel();
    private final JTextArea input = new JTextArea(4, 40);
    private final JButton approve = new JButton(UiText.get("approval.approve"));
    private final JButton always = new JButton(UiText.get("approval.always"));
    private final JButton deny = new JButton(UiText.get("approval.deny"));
    private final JLabel sending = new JLabel();
    private transient PendingApproval shown;
    private transient Handler handler = (a, d) -> { };

    /** A hidden bar. */
    public ApprovalBar() {
        super(new BorderLayout(4, 4));
        setName("loopwire.approvalBar");
        setBackground(new Color(0xFF, 0xF4, 0xD6));
        setBorder(BorderFactory.createCompoundBorder(
                BorderFactory.createMatteBorder(1, 0, 1, 0, new Color(0xE6, 0x9A, 0x1E)),
                BorderFactory.createEmptyBorder(6, 8, 6, 8)));
        title.setFont(title.getFont().deriveFont(Font.BOLD));
        JPanel text = new JPanel(new BorderLayout(2, 2));
        text.setOpaque(false);
        text.add(title, BorderLayout.NORTH);
        text.add(reason, BorderLayout.CENTER);
        input.setName("loopwire.approvalInput");
        input.setEditable(false);
        input.setFont(new Font(Font.MONOSPACED, Font.PLAIN, input.getFont().getSize()));
        approve.setName("loopwire.approve");
        always.setName("loopwire.always");
        deny.setName("loopwire.deny");
        approve.addActionListener(e -> decide(Decision.ALLOW_ONCE));
        always.addActionListener(e -> decide(Decision.ALLOW_ALWAYS));
        deny.addActionListener(e -> decide(Decision.REJECT_ONCE));
        JPanel buttons = new JPanel(new FlowLayout(FlowLayout.LEFT, 4, 0));
        buttons.setOpaque(false);
        buttons.add(approve);
        buttons.add(always);
        buttons.add(deny);
        buttons.add(sending);
        add(text, BorderLayout.NORTH);
        add(new JScrollPane(input), BorderLayout.CENTER);
        add(buttons, BorderLayout.SOUTH);
        setVisible(false);
    }

    /** Where decisions go. */
    public void setHandler(Handler handler) {
        this.handler = handler;
    }

    /** Shows {@code approval}, or hides the bar when {@code null}. */
    public void show(PendingApproval approval) {
        if (approval == null) {
            shown = null;
            setVisible(false);
            return;
        }
        boolean same = shown != null && shown.approvalId().equals(approval.approvalId());
        shown = approval;
        title.setText(UiText.get("approval.title", approval.title() == null ? approval.tool() : approval.title()));
        String why = approval.reason() == null ? "" : approval.reason();
        reason.setText(UiText.get("approval.tool", approval.tool()) + (why.isEmpty() ? "" : "  \u2014  " + why));
        input.setText(approval.input() == null ? "" : new GsonBuilder().setPrettyPrinting().create().toJson(approval.input()));
        input.setCaretPosition(0);
        if (!same) {
            enableButtons();
        }
        setVisible(true);
    }

    /** The approval shown, or {@code null}. */
    public PendingApproval shown() {
        return shown;
    }

    /** Enables the buttons again (after a request failed). */
    public void enableButtons() {
        approve.setEnabled(true);
        always.setEnabled(true);
        deny.setEnabled(true);
        sending.setText("");
    }

    private void decide(Decision d) {
        PendingApproval a = shown;
        if (a == null) {
            return;
        }
        approve.setEnabled(false);
        always.setEnabled(false);
        deny.setEnabled(false);
        sending.setText(UiText.get("approval.sending", d.label()));
        handler.decide(a, d);
    }
}
