package dev.loopwire.engine.tools;

/** A path that a tool may not touch; the message says which path and why. */
public class PathOutsideWorkspaceException extends Exception {

    private static final long serialVersionUID = 1L;

    public PathOutsideWorkspaceException(String path, String why) {
        super("path '" + path + "' is refused: " + why);
    }
}
