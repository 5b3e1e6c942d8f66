package dev.jvmm.qmp.commands;

import dev.jvmm.qmp.dispatch.QmpEnum;

/** QEMU's {@code QMPCapability}. This server offers none of them (it has no out-of-band execution). */
public enum QmpCapability implements QmpEnum {
    OOB("oob");

    private final String wireName;

    QmpCapability(String wireName) {
        this.wireName = wireName;
    }

    @Override
    public String wireName() {
        return wireName;
    }
}
