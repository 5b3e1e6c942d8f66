package dev.jvmm.qmp.dispatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jvmm.qmp.QmpException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Binds a command's {@code arguments} object to an argument record, checking it as strictly as QEMU's
 * QAPI input visitor and with QEMU's error texts (all GenericError):
 * <ul>
 *   <li>{@code Parameter 'x' is missing} for a required member that is absent;</li>
 *   <li>{@code Invalid parameter type for 'x', expected: string} (integer, number, boolean, object,
 *       array) for a value of the wrong JSON type, {@code null} included;</li>
 *   <li>{@code Parameter 'x' expects int32} (int64) for an integer out of range;</li>
 *   <li>{@code Parameter 'x' does not accept value 'y'} for a string outside an enum;</li>
 *   <li>{@code Parameter 'x' is unexpected} for a member no component names, reported after the
 *       members above, as QEMU's visitor does.</li>
 * </ul>
 * Nested names read {@code outer.inner} and list elements {@code list[0]}.
 *
 * <p>Component types: {@code String}, {@code boolean}, {@code int}, {@code long}, {@code double} (and
 * their boxes), enums implementing {@link QmpEnum}, nested records, {@code List<T>}, {@code JsonNode}
 * (any value), {@code Optional<T>} for an optional member, and one {@link QmpRest}
 * {@code Map<String, JsonNode>}. The wire name is the component name unless {@link QmpName} says
 * otherwise. An unsupported record is rejected when the binder is built, i.e. when the command table is
 * built, never on a request. Binding has no side effects; an {@link IllegalArgumentException} from the
 * record's own constructor becomes a GenericError with its message.
 */
public final class ArgumentBinder<A extends Record> {

    private final Class<A> type;
    private final Constructor<A> constructor;
    private final List<Member> members;
    private final int restIndex;

    private record Member(String wireName, Converter converter, boolean optional) {
    }

    @FunctionalInterface
    private interface Converter {
        Object convert(JsonNode value, String path) throws QmpException;
    }

    private ArgumentBinder(Class<A> type) {
        this.type = type;
        RecordComponent[] components = type.getRecordComponents();
        Class<?>[] parameterTypes = new Class<?>[components.length];
        List<Member> bound = new ArrayList<>();
        int rest = -1;
        Set<String> names = new HashSet<>();
        for (int i = 0; i < components.length; i++) {
            RecordComponent c = components[i];
            parameterTypes[i] = c.getType();
            if (c.isAnnotationPresent(QmpRest.class)) {
                if (rest >= 0 || !isRestMap(c.getGenericType())) {
                    throw unsupported(c, "@QmpRest needs exactly one Map<String, JsonNode> component");
                }
                rest = i;
                bound.add(null);
                continue;
            }
            QmpName rename = c.getAnnotation(QmpName.class);
            String wireName = rename == null ? c.getName() : rename.value();
            if (!names.add(wireName)) {
                throw unsupported(c, "two components share the wire name '" + wireName + "'");
            }
            Type generic = c.getGenericType();
            boolean optional = c.getType() == Optional.class;
            Type valueType = optional ? typeArgument(generic, c) : generic;
            Converter converter = converter(valueType, c);
            bound.add(new Member(wireName, optional ? (v, p) -> Optional.of(converter.convert(v, p)) : converter,
                    optional));
        }
        this.members = Collections.unmodifiableList(bound);
        this.restIndex = rest;
        try {
            this.constructor = type.getDeclaredConstructor(parameterTypes);
            this.constructor.setAccessible(true);
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException(type.getName() + " has no canonical constructor", e);
        }
    }

    /** Builds (and checks) the binder for {@code type}. */
    public static <A extends Record> ArgumentBinder<A> of(Class<A> type) {
        return new ArgumentBinder<>(Objects.requireNonNull(type, "type"));
    }

    public Class<A> type() {
        return type;
    }

    /** Binds a whole {@code arguments} object (an absent one is an empty object). */
    public A bind(ObjectNode arguments) throws QmpException {
        return type.cast(bind(arguments, ""));
    }

    private Object bind(ObjectNode arguments, String prefix) throws QmpException {
        Object[] values = new Object[members.size()];
        for (int i = 0; i < values.length; i++) {
            Member m = members.get(i);
            if (m == null) {
                continue;
            }
            String path = prefix + m.wireName;
            JsonNode value = arguments.get(m.wireName);
            if (value == null) {
                if (!m.optional) {
                    throw QmpException.generic("Parameter '" + path + "' is missing");
                }
                values[i] = Optional.empty();
            } else {
                values[i] = m.converter.convert(value, path);
            }
        }
        Map<String, JsonNode> rest = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : arguments.properties()) {
            if (!isMember(e.getKey())) {
                if (restIndex < 0) {
                    throw QmpException.generic("Parameter '" + prefix + e.getKey() + "' is unexpected");
                }
                rest.put(e.getKey(), e.getValue());
            }
        }
        if (restIndex >= 0) {
            values[restIndex] = Collections.unmodifiableMap(rest);
        }
        return construct(values);
    }

    private boolean isMember(String name) {
        for (Member m : members) {
            if (m != null && m.wireName.equals(name)) {
                return true;
            }
        }
        return false;
    }

    private Object construct(Object[] values) throws QmpException {
        try {
            return constructor.newInstance(values);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof IllegalArgumentException bad) {
                throw QmpException.generic(bad.getMessage());
            }
            throw new IllegalStateException("constructing " + type.getName() + " failed", e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("constructing " + type.getName() + " failed", e);
        }
    }

    private static Converter converter(Type t, RecordComponent where) {
        if (t == String.class) {
            return (v, p) -> {
                expect(v.isTextual(), p, "string");
                return v.textValue();
            };
        }
        if (t == boolean.class || t == Boolean.class) {
            return (v, p) -> {
                expect(v.isBoolean(), p, "boolean");
                return v.booleanValue();
            };
        }
        if (t == int.class || t == Integer.class) {
            return (v, p) -> {
                expect(v.isIntegralNumber(), p, "integer");
                if (!v.canConvertToInt()) {
                    throw QmpException.generic("Parameter '" + p + "' expects int32");
                }
                return v.intValue();
            };
        }
        if (t == long.class || t == Long.class) {
            return (v, p) -> {
                expect(v.isIntegralNumber(), p, "integer");
                if (!v.canConvertToLong()) {
                    throw QmpException.generic("Parameter '" + p + "' expects int64");
                }
                return v.longValue();
            };
        }
        if (t == double.class || t == Double.class) {
            return (v, p) -> {
                expect(v.isNumber(), p, "number");
                return v.doubleValue();
            };
        }
        if (t == JsonNode.class) {
            return (v, p) -> v;
        }
        if (t instanceof Class<?> c && c.isEnum() && QmpEnum.class.isAssignableFrom(c)) {
            Map<String, Object> byName = new LinkedHashMap<>();
            for (Object constant : c.getEnumConstants()) {
                byName.put(((QmpEnum) constant).wireName(), constant);
            }
            return (v, p) -> {
                expect(v.isTextual(), p, "string");
                Object constant = byName.get(v.textValue());
                if (constant == null) {
                    throw QmpException.generic("Parameter '" + p + "' does not accept value '" + v.textValue() + "'");
                }
                return constant;
            };
        }
        if (t instanceof Class<?> c && c.isRecord()) {
            ArgumentBinder<?> nested = new ArgumentBinder<>(c.asSubclass(Record.class));
            return (v, p) -> {
                expect(v.isObject(), p, "object");
                return nested.bind((ObjectNode) v, p + ".");
            };
        }
        if (t instanceof ParameterizedType pt && pt.getRawType() == List.class) {
            Converter element = converter(pt.getActualTypeArguments()[0], where);
            return (v, p) -> {
                expect(v.isArray(), p, "array");
                List<Object> out = new ArrayList<>(v.size());
                for (int i = 0; i < v.size(); i++) {
                    out.add(element.convert(v.get(i), p + "[" + i + "]"));
                }
                return List.copyOf(out);
            };
        }
        throw unsupported(where, "type " + t.getTypeName() + " is not a supported argument type");
    }

    private static void expect(boolean ok, String path, String expected) throws QmpException {
        if (!ok) {
            throw QmpException.generic("Invalid parameter type for '" + path + "', expected: " + expected);
        }
    }

    private static Type typeArgument(Type generic, RecordComponent where) {
        if (generic instanceof ParameterizedType pt) {
            return pt.getActualTypeArguments()[0];
        }
        throw unsupported(where, "a raw Optional has no element type");
    }

    private static boolean isRestMap(Type t) {
        return t instanceof ParameterizedType pt && pt.getRawType() == Map.class
                && pt.getActualTypeArguments()[0] == String.class
                && pt.getActualTypeArguments()[1] == JsonNode.class;
    }

    private static IllegalArgumentException unsupported(RecordComponent c, String why) {
        return new IllegalArgumentException("argument record " + c.getDeclaringRecord().getName() + ", component "
                + c.getName() + ": " + why);
    }
}
