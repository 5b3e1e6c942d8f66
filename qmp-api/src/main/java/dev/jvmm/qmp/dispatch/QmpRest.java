package dev.jvmm.qmp.dispatch;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the one {@code Map<String, JsonNode>} component of an argument record that receives every member
 * no other component names, instead of rejecting them. This is how {@code device_add} ({@code 'gen':
 * false} in QEMU's schema) takes the driver's properties next to {@code driver}, {@code bus} and
 * {@code id}; the handler then validates those properties against the driver.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface QmpRest {
}
