package dev.jvmm.qmp;

import java.util.Objects;

/**
 * A command failure that reaches the client as {@code {"error": {"class": ..., "desc": ...}}}.
 * Throw it (or complete a {@link VmControl} future with it) to choose the error class; the description
 * is shown to the client as is, so it should say what was wrong and, where one is known, what to do.
 */
public class QmpException extends Exception {

    private final QmpErrorClass errorClass;

    public QmpException(QmpErrorClass errorClass, String description) {
        super(Objects.requireNonNull(description, "description"));
        this.errorClass = Objects.requireNonNull(errorClass, "errorClass");
    }

    /** A {@link QmpErrorClass#GenericError}, the class of almost every QMP error. */
    public static QmpException generic(String description) {
        return new QmpException(QmpErrorClass.GenericError, description);
    }

    public QmpErrorClass errorClass() {
        return errorClass;
    }

    /** The {@code desc} text sent to the client. */
    public String description() {
        return getMessage();
    }
}
