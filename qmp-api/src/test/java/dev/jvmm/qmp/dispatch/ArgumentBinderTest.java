package dev.jvmm.qmp.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jvmm.qmp.QmpErrorClass;
import dev.jvmm.qmp.QmpException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ArgumentBinderTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    enum Mode implements QmpEnum {
        FAST("fast"), SLOW_START("slow-start");

        private final String wire;

        Mode(String wire) {
            this.wire = wire;
        }

        @Override
        public String wireName() {
            return wire;
        }
    }

    record Inner(int n, Optional<String> label) {
    }

    record Everything(String name, boolean flag, long big, Optional<Integer> small, Mode mode, List<Inner> items,
            @QmpName("cpu-index") Optional<Integer> cpuIndex, Optional<JsonNode> any, Optional<Double> ratio) {
    }

    /** The shape device_add will have: fixed members plus the driver's properties. */
    record DeviceAddLike(String driver, Optional<String> bus, Optional<String> id,
            @QmpRest Map<String, JsonNode> properties) {
    }

    record Validated(String id) {
        Validated {
            if (id.isEmpty()) {
                throw new IllegalArgumentException("Parameter 'id' must not be empty");
            }
        }
    }

    private static ObjectNode args(String json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static <A extends Record> String error(Class<A> type, String json) {
        QmpException e = assertThrows(QmpException.class, () -> ArgumentBinder.of(type).bind(args(json)));
        assertEquals(QmpErrorClass.GenericError, e.errorClass());
        return e.description();
    }

    @Test
    void bindsEveryKindOfMember() throws Exception {
        Everything e = ArgumentBinder.of(Everything.class).bind(args("""
                {"name":"x","flag":true,"big":9007199254740993,"small":7,"mode":"slow-start",
                 "items":[{"n":1},{"n":2,"label":"two"}],"cpu-index":3,"any":[null],"ratio":0.5}"""));
        assertEquals(new Everything("x", true, 9007199254740993L, Optional.of(7), Mode.SLOW_START,
                List.of(new Inner(1, Optional.empty()), new Inner(2, Optional.of("two"))), Optional.of(3),
                Optional.of(JSON.readTree("[null]")), Optional.of(0.5)), e);
    }

    @Test
    void optionalMembersMayBeLeftOut() throws Exception {
        Everything e = ArgumentBinder.of(Everything.class).bind(args("{\"name\":\"x\",\"flag\":false,\"big\":1,"
                + "\"mode\":\"fast\",\"items\":[]}"));
        assertEquals(Optional.empty(), e.small());
        assertEquals(Optional.empty(), e.cpuIndex());
    }

    @Test
    void missingRequiredMember() {
        assertEquals("Parameter 'name' is missing", error(Everything.class, "{}"));
        assertEquals("Parameter 'items[1].n' is missing", error(Everything.class,
                "{\"name\":\"x\",\"flag\":true,\"big\":1,\"mode\":\"fast\",\"items\":[{\"n\":1},{}]}"));
    }

    @Test
    void wrongTypesNameTheExpectedType() {
        String base = "\"flag\":true,\"big\":1,\"mode\":\"fast\",\"items\":[]";
        assertEquals("Invalid parameter type for 'name', expected: string", error(Everything.class, "{\"name\":1," + base + "}"));
        assertEquals("Invalid parameter type for 'name', expected: string", error(Everything.class, "{\"name\":null," + base + "}"));
        assertEquals("Invalid parameter type for 'flag', expected: boolean",
                error(Everything.class, "{\"name\":\"x\",\"flag\":\"true\",\"big\":1,\"mode\":\"fast\",\"items\":[]}"));
        assertEquals("Invalid parameter type for 'big', expected: integer",
                error(Everything.class, "{\"name\":\"x\",\"flag\":true,\"big\":1.5,\"mode\":\"fast\",\"items\":[]}"));
        assertEquals("Invalid parameter type for 'items', expected: array",
                error(Everything.class, "{\"name\":\"x\",\"flag\":true,\"big\":1,\"mode\":\"fast\",\"items\":{}}"));
        assertEquals("Invalid parameter type for 'items[0]', expected: object",
                error(Everything.class, "{\"name\":\"x\",\"flag\":true,\"big\":1,\"mode\":\"fast\",\"items\":[3]}"));
        assertEquals("Invalid parameter type for 'cpu-index', expected: integer",
                error(Everything.class, "{\"name\":\"x\"," + base + ",\"cpu-index\":\"0\"}"));
        assertEquals("Invalid parameter type for 'ratio', expected: number",
                error(Everything.class, "{\"name\":\"x\"," + base + ",\"ratio\":\"0\"}"));
    }

    @Test
    void integersOutOfRange() {
        String base = "\"name\":\"x\",\"flag\":true,\"mode\":\"fast\",\"items\":[]";
        assertEquals("Parameter 'small' expects int32", error(Everything.class, "{" + base + ",\"big\":1,\"small\":2147483648}"));
        assertEquals("Parameter 'big' expects int64", error(Everything.class, "{" + base + ",\"big\":9223372036854775808}"));
    }

    @Test
    void enumValueOutsideTheEnum() {
        assertEquals("Parameter 'mode' does not accept value 'FAST'", error(Everything.class,
                "{\"name\":\"x\",\"flag\":true,\"big\":1,\"mode\":\"FAST\",\"items\":[]}"));
    }

    @Test
    void unexpectedMembersAreReportedAfterMissingOnes() {
        assertEquals("Parameter 'name' is missing", error(Everything.class, "{\"bogus\":1}"));
        assertEquals("Parameter 'bogus' is unexpected", error(Everything.class,
                "{\"name\":\"x\",\"flag\":true,\"big\":1,\"mode\":\"fast\",\"items\":[],\"bogus\":1}"));
        assertEquals("Parameter 'items[0].x' is unexpected", error(Everything.class,
                "{\"name\":\"x\",\"flag\":true,\"big\":1,\"mode\":\"fast\",\"items\":[{\"n\":1,\"x\":0}]}"));
        assertEquals("Parameter 'x' is unexpected", error(NoArguments.class, "{\"x\":1}"));
    }

    @Test
    void restMapTakesTheDriverPropertiesOfADeviceAddLikeCommand() throws Exception {
        DeviceAddLike d = ArgumentBinder.of(DeviceAddLike.class).bind(args(
                "{\"driver\":\"vfio-pci\",\"id\":\"hostdev0\",\"host\":\"0000:01:00.0\",\"bus\":\"rp1\",\"addr\":\"0\"}"));
        assertEquals("vfio-pci", d.driver());
        assertEquals(Optional.of("rp1"), d.bus());
        assertEquals(Optional.of("hostdev0"), d.id());
        assertEquals(List.of("host", "addr"), List.copyOf(d.properties().keySet()));
        assertEquals("0000:01:00.0", d.properties().get("host").textValue());
        assertEquals("Parameter 'driver' is missing", error(DeviceAddLike.class, "{\"id\":\"x\"}"));
    }

    @Test
    void recordValidationBecomesAGenericError() {
        assertEquals("Parameter 'id' must not be empty", error(Validated.class, "{\"id\":\"\"}"));
    }

    record BadType(java.util.Set<String> names) {
    }

    record TwoRests(@QmpRest Map<String, JsonNode> a, @QmpRest Map<String, JsonNode> b) {
    }

    record Clash(String a, @QmpName("a") String b) {
    }

    @Test
    void unsupportedRecordsAreRejectedWhenTheTableIsBuilt() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ArgumentBinder.of(BadType.class))
                .getMessage().contains("component names"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ArgumentBinder.of(TwoRests.class))
                .getMessage().contains("@QmpRest"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ArgumentBinder.of(Clash.class))
                .getMessage().contains("share the wire name 'a'"));
    }
}
