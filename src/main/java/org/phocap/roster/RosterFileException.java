package org.phocap.roster;

/** The file as a whole cannot be imported (no header, unreadable, over the row limit). */
public class RosterFileException extends RuntimeException {
    public RosterFileException(String message) {
        super(message, null, false, false);
    }
}
