// A malformed .cla file: the message starts with "file:line:" so that editors and users can jump to the spot.
package org.uactn.train.data;

public final class ClaFormatException extends IllegalArgumentException {
    private final String file;
    private final int line;

    public ClaFormatException(String file, int line, String message) {
        super(file + ":" + line + ": " + message);
        this.file = file;
        this.line = line;
    }

    public String file() { return file; }

    public int line() { return line; }
}
