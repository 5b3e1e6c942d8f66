package dev.jvmm.qmp.dispatch;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** The wire name of an argument whose Java name differs, e.g. {@code @QmpName("cpu-index") int cpuIndex}. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface QmpName {
    String value();
}
