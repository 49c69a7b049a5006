package io.github.orderstock.devstack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where the stack lives and which ports it uses. Each value comes from a command-line option, else its environment
 * variable, else its default.
 *
 * <p>With {@code cluster}, the stack has the production topology: three Kafka brokers and two instances of each
 * service. The other brokers and instances listen two ports above the one before: brokers on kafka-port, +2, +4
 * (their controllers on kafka-controller-port, +2, +4), the second command side on command-port + 2, the second
 * query side on query-port + 2. With the defaults: Kafka 9092/9094/9096, command side 3000 and 3002, query side 3001
 * and 3003.
 */
public record StackOptions(Path home, Path dataDir, int commandPort, int queryPort, int kafkaPort,
                           int kafkaControllerPort, int mongoPort, MongoBackend mongoBackend, boolean cluster) {

    /** Kafka brokers and instances of each service in the cluster topology. */
    public static final int CLUSTER_BROKERS = 3;
    public static final int CLUSTER_INSTANCES = 2;
    /** How far apart the ports of a cluster's brokers (and of a side's instances) are. */
    static final int CLUSTER_PORT_STEP = 2;

    /** The MongoDB stand-in's storage. */
    public enum MongoBackend {
        /** mongo-java-server's H2 backend, a file in the data directory: survives restarts and a kill -9. */
        H2,
        /** mongo-java-server's memory backend: fast, gone when the stand-in stops. */
        MEMORY
    }

    private record Option(String name, String env, String defaultValue, String help) {
    }

    private static final List<Option> OPTIONS = List.of(
            new Option("--home", "STACK_HOME", null,
                    "the project clone (the directory holding command-side/); default: found from the working directory"),
            new Option("--data-dir", "STACK_DATA_DIR", null,
                    "where Kafka logs, the MongoDB file and the child logs live; default: <home>/data"),
            new Option("--command-port", "STACK_COMMAND_PORT", "3000", "HTTP port of command-side"),
            new Option("--query-port", "STACK_QUERY_PORT", "3001", "HTTP port of query-side"),
            new Option("--kafka-port", "STACK_KAFKA_PORT", "9092", "Kafka broker port (PLAINTEXT)"),
            new Option("--kafka-controller-port", "STACK_KAFKA_CONTROLLER_PORT", "9093", "Kafka KRaft controller port"),
            new Option("--mongo-port", "STACK_MONGO_PORT", "27017", "MongoDB stand-in port"),
            new Option("--mongo-backend", "STACK_MONGO_BACKEND", "h2",
                    "h2 (a file, survives restarts and kill -9) or memory (fast, forgets everything on stop)"),
            new Option("--cluster", "STACK_CLUSTER", "false",
                    "true (or just --cluster): the production topology, three Kafka brokers (replication factor 3, "
                            + "min.insync.replicas 2) and two instances of each service, each further one two ports "
                            + "above the one before; data in <home>/data/cluster unless --data-dir says otherwise"));

    /** Options that may be given without a value, meaning true. */
    private static final List<String> FLAGS = List.of("--cluster");

    /** What {@code --help} prints. */
    public static String usage() {
        var text = new StringBuilder("""
                Usage: ./start [OPTION VALUE]...
                Starts Kafka (KRaft), the MongoDB stand-in, command-side and query-side; Ctrl-C stops them all.

                """);
        for (Option option : OPTIONS) {
            String synopsis = option.name() + (FLAGS.contains(option.name()) ? " [true|false]" : " VALUE");
            text.append(String.format("  %-31s %s%n  %-31s %s%n", synopsis,
                    option.help() + (option.defaultValue() == null ? "" : "; default " + option.defaultValue()),
                    "", "env " + option.env()));
        }
        return text.append(String.format("  %-31s %s%n", "--help", "print this help")).toString();
    }

    /**
     * Reads the options as {@code --name value} or {@code --name=value}; the environment fills what the arguments
     * leave out.
     *
     * @throws StackException naming the offending argument
     */
    public static StackOptions parse(List<String> args, Map<String, String> env) {
        Map<String, String> given = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            if (OPTIONS.stream().noneMatch(option -> option.name().equals(name))) {
                throw new StackException("Unknown option '" + arg + "'.\n\n" + usage());
            }
            String value;
            if (arg.contains("=")) {
                value = arg.substring(arg.indexOf('=') + 1);
            } else if (FLAGS.contains(name)) {
                value = i + 1 < args.size() && isBoolean(args.get(i + 1)) ? args.get(++i) : "true";
            } else if (i + 1 < args.size()) {
                value = args.get(++i);
            } else {
                throw new StackException("Option " + name + " needs a value.\n\n" + usage());
            }
            given.put(name, value);
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (Option option : OPTIONS) {
            String value = given.getOrDefault(option.name(), env.get(option.env()));
            values.put(option.name(), value == null || value.isBlank() ? option.defaultValue() : value.trim());
        }

        Path home = values.get("--home") == null ? findHome() : Path.of(values.get("--home")).toAbsolutePath();
        if (!Files.isDirectory(home.resolve("command-side"))) {
            throw new StackException(home + " is not the project clone (it has no command-side/ directory). "
                    + "Pass --home DIR or set STACK_HOME.");
        }
        boolean cluster = flag(values, "--cluster");
        // A cluster keeps its data apart: the single node's Kafka log is not the cluster's.
        Path dataDir = values.get("--data-dir") == null ? home.resolve("data").resolve(cluster ? "cluster" : "")
                : Path.of(values.get("--data-dir")).toAbsolutePath();
        var options = new StackOptions(home.normalize(), dataDir.normalize(),
                port(values, "--command-port"), port(values, "--query-port"), port(values, "--kafka-port"),
                port(values, "--kafka-controller-port"), port(values, "--mongo-port"), backend(values), cluster);
        options.requireDistinctPorts();
        return options;
    }

    /**
     * The ports in start order, each named by the option that sets it; in a cluster, the further brokers' and
     * instances' ports are named by that option and their distance from it ({@code --kafka-port+2}).
     */
    Map<String, Integer> portsByOption() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        putAll(ports, "--kafka-port", kafkaPorts());
        putAll(ports, "--kafka-controller-port", kafkaControllerPorts());
        ports.put("--mongo-port", mongoPort);
        putAll(ports, "--command-port", commandPorts());
        putAll(ports, "--query-port", queryPorts());
        return ports;
    }

    /** The Kafka brokers' ports: one, or three in a cluster. */
    public List<Integer> kafkaPorts() {
        return spread(kafkaPort, cluster ? CLUSTER_BROKERS : 1);
    }

    /** The KRaft controller ports, one per broker. */
    public List<Integer> kafkaControllerPorts() {
        return spread(kafkaControllerPort, cluster ? CLUSTER_BROKERS : 1);
    }

    /** The command-side instances' HTTP ports: one, or two in a cluster. */
    public List<Integer> commandPorts() {
        return spread(commandPort, cluster ? CLUSTER_INSTANCES : 1);
    }

    /** The query-side instances' HTTP ports: one, or two in a cluster. */
    public List<Integer> queryPorts() {
        return spread(queryPort, cluster ? CLUSTER_INSTANCES : 1);
    }

    private static List<Integer> spread(int first, int count) {
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ports.add(first + i * CLUSTER_PORT_STEP);
        }
        return ports;
    }

    private static void putAll(Map<String, Integer> ports, String option, List<Integer> values) {
        for (int i = 0; i < values.size(); i++) {
            ports.put(i == 0 ? option : option + "+" + i * CLUSTER_PORT_STEP, values.get(i));
        }
    }

    /** The option a port's name comes from: {@code --kafka-port+2} comes from {@code --kafka-port}. */
    static String optionOf(String portName) {
        int plus = portName.indexOf('+');
        return plus < 0 ? portName : portName.substring(0, plus);
    }

    static String envOf(String optionName) {
        String name = optionOf(optionName);
        return OPTIONS.stream().filter(option -> option.name().equals(name)).findFirst().orElseThrow().env();
    }

    private void requireDistinctPorts() {
        Map<Integer, String> seen = new LinkedHashMap<>();
        portsByOption().forEach((option, port) -> {
            String other = seen.putIfAbsent(port, option);
            if (other != null) {
                throw new StackException(other + " and " + option + " are both " + port + ": give each its own port.");
            }
        });
    }

    private static int port(Map<String, String> values, String option) {
        String value = values.get(option);
        try {
            int port = Integer.parseInt(value);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new StackException(option + " must be a port number between 1 and 65535, not '" + value + "'.");
    }

    private static boolean isBoolean(String value) {
        return value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false");
    }

    private static boolean flag(Map<String, String> values, String option) {
        String value = values.get(option);
        if (!isBoolean(value)) {
            throw new StackException(option + " must be true or false, not '" + value + "'.");
        }
        return Boolean.parseBoolean(value);
    }

    private static MongoBackend backend(Map<String, String> values) {
        String value = values.get("--mongo-backend");
        try {
            return MongoBackend.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new StackException("--mongo-backend must be h2 or memory, not '" + value + "'.");
        }
    }

    private static Path findHome() {
        List<Path> tried = new ArrayList<>();
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("command-side")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
            tried.add(dir);
        }
        throw new StackException("Cannot find the project clone (a directory with command-side/ and pom.xml) from "
                + tried.get(0) + " upwards. Run from inside the clone, or pass --home DIR (or set STACK_HOME).");
    }
}
