package io.github.orderstock.systemtests.docker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the tests need from the compose files, read as text by indentation (no YAML library on this class path): the
 * images they build, with their build arguments (written in flow style), and the health checks they run.
 * {@code docker-compose config} in {@code .ci/run} checks the syntax; this only finds blocks.
 */
public final class ComposeFiles {

    /** A {@code build:} block: the context folder, the Dockerfile in it and the build arguments. */
    public record Build(Path composeFile, Path context, Path dockerfile, Map<String, String> args) {
    }

    /** One block: the value on its key's line and the lines below it, comments removed. */
    public record Block(Path file, int line, String value, List<String> body) {
        public String text() {
            return value + " " + String.join(" ", body);
        }
    }

    private static final Pattern COMPOSE_FILE = Pattern.compile("(docker-)?compose([.-][\\w.-]+)?\\.ya?ml");
    /** One entry of {@code args} written in flow style, a map {@code {A: x, B: y}} or a list {@code [A=x, B=y]}. */
    private static final Pattern ARG = Pattern.compile("(\\w+)\\s*[:=]\\s*[\"']?([^,}\\]\"']*)");
    private static final Pattern KEY = Pattern.compile("^(\\s*)(?:-\\s+)?([\\w.-]+):(?:\\s+(.*))?$");

    private ComposeFiles() {
    }

    /** The compose files in a folder (not below it): docker-compose.yml, docker-compose.production.yml, ... */
    public static List<Path> in(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(file -> COMPOSE_FILE.matcher(file.getFileName().toString()).matches()).sorted()
                    .toList();
        }
    }

    public static List<Build> builds(Path composeFile) throws IOException {
        var builds = new ArrayList<Build>();
        Path folder = composeFile.toAbsolutePath().getParent();
        for (Block block : blocks(composeFile, "build")) {
            String context = block.value().isEmpty() ? valueOf(block, "context", ".") : unquote(block.value());
            String dockerfile = block.value().isEmpty() ? valueOf(block, "dockerfile", "Dockerfile") : "Dockerfile";
            Path contextFolder = folder.resolve(context).normalize();
            Map<String, String> args = new LinkedHashMap<>();
            Matcher arg = ARG.matcher(valueOf(block, "args", ""));
            while (arg.find()) {
                args.put(arg.group(1), arg.group(2).strip());
            }
            builds.add(new Build(composeFile, contextFolder, contextFolder.resolve(dockerfile).normalize(),
                    Map.copyOf(args)));
        }
        return builds;
    }

    public static List<Block> healthChecks(Path composeFile) throws IOException {
        return blocks(composeFile, "healthcheck");
    }

    /** Every block whose key is {@code key}, at any depth. */
    static List<Block> blocks(Path file, String key) throws IOException {
        List<String> lines = Files.readAllLines(file).stream().map(ComposeFiles::withoutComment).toList();
        var blocks = new ArrayList<Block>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher header = KEY.matcher(lines.get(i));
            if (!header.matches() || !header.group(2).equals(key)) {
                continue;
            }
            int indent = header.group(1).length();
            var body = new ArrayList<String>();
            for (int j = i + 1; j < lines.size(); j++) {
                String line = lines.get(j);
                if (line.isBlank()) {
                    continue;
                }
                if (line.length() - line.stripLeading().length() <= indent) {
                    break;
                }
                body.add(line.strip());
            }
            String value = header.group(3) == null ? "" : header.group(3).strip();
            blocks.add(new Block(file, i + 1, value, List.copyOf(body)));
        }
        return blocks;
    }

    private static String valueOf(Block block, String key, String otherwise) {
        for (String line : block.body()) {
            Matcher matcher = KEY.matcher(line);
            if (matcher.matches() && matcher.group(2).equals(key) && matcher.group(3) != null) {
                return unquote(matcher.group(3).strip());
            }
        }
        return otherwise;
    }

    private static String unquote(String value) {
        boolean quoted = value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
                || value.startsWith("'") && value.endsWith("'"));
        return quoted ? value.substring(1, value.length() - 1) : value;
    }

    /** A {@code #} starts a comment at the start of a line or after white space, outside quotes. */
    private static String withoutComment(String line) {
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote == '"' && c == '\\') {
                i++;
            } else if (quote != 0) {
                quote = c == quote ? 0 : quote;
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '#' && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
                return line.substring(0, i).stripTrailing();
            }
        }
        return line;
    }
}
