package dev.jvmm.qmp.dispatch;

/** An enum used in command arguments: each constant has the name QMP uses for it on the wire. */
public interface QmpEnum {
    String wireName();
}
