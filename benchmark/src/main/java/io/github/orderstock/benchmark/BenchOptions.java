package io.github.orderstock.benchmark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The options of {@code ./bench}. {@code --quick} only changes the defaults of the sizes; an explicit size option
 * wins over it.
 *
 * @param out            the JSON file; null: {@code benchmark/target/benchmark-<yyyyMMdd-HHmmss>.json}
 * @param commandUrl     a running stack's command side; null: start a stack
 * @param kafkaBootstrap a running stack's Kafka, for the replay phase; null: the replay is skipped for a running stack
 */
public record BenchOptions(String mongoBackend, boolean backendGiven, Set<Phase> phases, boolean quick,
                           Duration duration, Duration warmUp, List<Integer> endToEndOrders, int oldIdRepeats,
                           long replayEvents,
                           Path out, String commandUrl, String queryUrl, String adminPassword, String kafkaBootstrap,
                           String kafkaTopic, boolean keepData, Path print, boolean help) {

    /** Product counts of the end-to-end runs: all orders on one product, and spread over 100. */
    public static final List<Integer> END_TO_END_PRODUCTS = List.of(1, 100);

    private record Option(String name, String value, String help) {
    }

    private static final List<Option> OPTIONS = List.of(
            new Option("--mongo-backend", "h2|memory",
                    "the MongoDB stand-in's storage for the stack it starts; default h2 (as ./start)"),
            new Option("--only", "PHASES", "comma-separated, of " + Phase.names() + "; default all"),
            new Option("--quick", null, "small numbers for a smoke run: 5 s per HTTP level, 1,000 and 5,000 orders "
                    + "end to end, 1,000 old ids repeated, 20,000 replay events"),
            new Option("--duration", "SECONDS", "of each measured HTTP level; default 20 (quick: 5)"),
            new Option("--warm-up", "SECONDS", "HTTP warm-up before the measured levels; default 30, as the JIT "
                    + "compilers share the 2 cores with the load and need that long (quick: 2)"),
            new Option("--e2e-orders", "N,N", "order counts of the end-to-end runs, each over 1 and over 100 "
                    + "products; default 10000,100000 (quick: 1000,5000)"),
            new Option("--old-id-repeats", "N", "order ids older than the product remembers that the old-ids "
                    + "phase repeats, after 10,000 + 2N orders on the product; default 10000 (quick: 1000)"),
            new Option("--replay-events", "N", "synthetic events written for the replay; default 200000 on the "
                    + "stack it starts (the stand-in applies 1,100 to 5,500 events/s), 1000000 on a running stack "
                    + "(quick: 20000)"),
            new Option("--out", "FILE", "the JSON figures; default benchmark/target/benchmark-<yyyyMMdd-HHmmss>.json"),
            new Option("--command-url", "URL", "target a running stack's command side instead of starting one "
                    + "(needs --query-url too; cold start is then not measured)"),
            new Option("--query-url", "URL", "the running stack's query side"),
            new Option("--admin-password", "PASSWORD", "the running stack's admin password (replay); default env "
                    + "ADMIN_PASSWORD, else data/admin-password"),
            new Option("--kafka", "HOST:PORT", "the running stack's Kafka, for the replay phase (./start: "
                    + "127.0.0.1:9092); without it the replay is skipped for a running stack"),
            new Option("--kafka-topic", "TOPIC", "the event topic; default shop-events"),
            new Option("--keep-data", null, "keep the started stack's data directory and logs (they are kept "
                    + "anyway when a phase fails)"),
            new Option("--print", "FILE", "print the table of an earlier run from its JSON, and measure nothing"),
            new Option("--help", null, "print this help"));

    public static String usage() {
        var text = new StringBuilder("""
                Usage: ./bench [OPTION]...
                Starts the stack on a fresh data directory and free ports (or targets a running one), measures
                POST /orders with wrk, orders end to end, repeats of old order ids, a replay, memory and cold
                start, prints a table against the targets and writes the same figures as JSON, and each run's
                answers second by second as an SVG beside it.

                """);
        for (Option option : OPTIONS) {
            String name = option.value() == null ? option.name() : option.name() + " " + option.value();
            List<String> lines = wrap(option.help(), 80);
            text.append(String.format("  %-29s %s%n", name, lines.get(0)));
            for (String line : lines.subList(1, lines.size())) {
                text.append(String.format("  %-29s %s%n", "", line));
            }
        }
        return text.toString();
    }

    private static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        var line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (line.length() > 0 && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            line.append(line.length() > 0 ? " " : "").append(word);
        }
        lines.add(line.toString());
        return lines;
    }

    /**
     * @throws IllegalArgumentException naming the offending argument
     */
    public static BenchOptions parse(List<String> args, Map<String, String> env) {
        Map<String, String> given = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            Option option = OPTIONS.stream().filter(o -> o.name().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("Unknown option '" + arg + "'."));
            String value;
            if (option.value() == null) {
                if (arg.contains("=")) {
                    throw new IllegalArgumentException("Option " + name + " takes no value.");
                }
                value = "true";
            } else if (arg.contains("=")) {
                value = arg.substring(arg.indexOf('=') + 1);
            } else if (i + 1 < args.size()) {
                value = args.get(++i);
            } else {
                throw new IllegalArgumentException("Option " + name + " needs a value (" + option.value() + ").");
            }
            given.put(name, value);
        }
        boolean quick = given.containsKey("--quick");

        String backend = given.getOrDefault("--mongo-backend", "h2").toLowerCase(Locale.ROOT);
        if (!backend.equals("h2") && !backend.equals("memory")) {
            throw new IllegalArgumentException("--mongo-backend must be h2 or memory, not '" + backend + "'.");
        }
        Set<Phase> phases = EnumSet.allOf(Phase.class);
        if (given.containsKey("--only")) {
            phases = EnumSet.noneOf(Phase.class);
            for (String name : given.get("--only").split(",")) {
                if (!name.isBlank()) {
                    phases.add(Phase.of(name));
                }
            }
            if (phases.isEmpty()) {
                throw new IllegalArgumentException("--only needs at least one of " + Phase.names() + ".");
            }
        }
        Duration duration = Duration.ofSeconds(number(given, "--duration", 1, 86_400, quick ? 5 : 20));
        Duration warmUp = Duration.ofSeconds(number(given, "--warm-up", 0, 86_400, quick ? 2 : 30));
        List<Integer> orders = new ArrayList<>();
        if (given.containsKey("--e2e-orders")) {
            for (String count : given.get("--e2e-orders").split(",")) {
                orders.add((int) number("--e2e-orders", count, 1, 1_000_000));
            }
        } else {
            orders.addAll(quick ? List.of(1_000, 5_000) : List.of(10_000, 100_000));
        }
        int oldIdRepeats = (int) number(given, "--old-id-repeats", 1, 1_000_000, quick ? 1_000 : 10_000);
        String commandUrl = given.get("--command-url");
        long replayEvents = number(given, "--replay-events", 1, 100_000_000,
                quick ? 20_000 : commandUrl == null ? 200_000 : 1_000_000);

        String queryUrl = given.get("--query-url");
        if ((commandUrl == null) != (queryUrl == null)) {
            throw new IllegalArgumentException("Give both --command-url and --query-url to target a running stack, "
                    + "or neither to let ./bench start one.");
        }
        String adminPassword = given.getOrDefault("--admin-password", env.get("ADMIN_PASSWORD"));
        return new BenchOptions(backend, given.containsKey("--mongo-backend"), phases, quick, duration, warmUp,
                List.copyOf(orders), oldIdRepeats, replayEvents,
                given.containsKey("--out") ? Path.of(given.get("--out")) : null,
                commandUrl, queryUrl, adminPassword, given.get("--kafka"),
                given.getOrDefault("--kafka-topic", "shop-events"), given.containsKey("--keep-data"),
                given.containsKey("--print") ? Path.of(given.get("--print")) : null, given.containsKey("--help"));
    }

    /** Whether the benchmark targets a running stack rather than starting one. */
    public boolean targetsRunningStack() {
        return commandUrl != null;
    }

    public boolean runs(Phase phase) {
        return phases.contains(phase);
    }

    /** The option's number if given, else the fallback. */
    private static long number(Map<String, String> given, String name, long min, long max, long fallback) {
        return given.containsKey(name) ? number(name, given.get(name), min, max) : fallback;
    }

    /** A whole number; {@code 1_000_000}, {@code 1,000,000} and a trailing {@code s} for seconds are accepted. */
    static long number(String option, String text, long min, long max) {
        String digits = text.trim().replace("_", "").replace(",", "");
        if (digits.endsWith("s")) {
            digits = digits.substring(0, digits.length() - 1);
        }
        try {
            long value = Long.parseLong(digits);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("%s must be a whole number from %,d to %,d, not '%s'.".formatted(option,
                min, max, text));
    }

    /** The project clone: where this jar lies (benchmark/target/), else upwards from the working directory. */
    static Path findHome() {
        try {
            Path code = Path.of(BenchOptions.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path dir = code; dir != null; dir = dir.getParent()) {
                if (isHome(dir)) {
                    return dir;
                }
            }
        } catch (Exception e) {
            // fall back to the working directory
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (isHome(dir)) {
                return dir;
            }
        }
        throw new BenchmarkException("Cannot find the project clone (a directory with dev-stack/ and pom.xml) from "
                + "the benchmark's jar or the working directory. Run ./bench from inside the clone.");
    }

    private static boolean isHome(Path dir) {
        return Files.isDirectory(dir.resolve("dev-stack")) && Files.isRegularFile(dir.resolve("pom.xml"));
    }
}
