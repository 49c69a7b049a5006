package io.github.orderstock.systemtests.docker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Dockerfile read into its stages and instructions: as much of the syntax as our Dockerfiles use (comments, line
 * continuations, {@code --flags}, shell and JSON forms). Whatever a rehearsal cannot imitate it refuses by name rather
 * than guessing, see {@link BuildStageRehearsal}.
 */
public record Dockerfile(Path path, List<Stage> stages) {

    /** One {@code FROM} and what follows it up to the next. */
    public record Stage(String name, String baseImage, List<Instruction> instructions) {

        /** The stage's instructions up to (not including) its first {@code RUN}. */
        List<Instruction> beforeFirstRun() {
            var before = new ArrayList<Instruction>();
            for (Instruction instruction : instructions) {
                if (instruction.is("RUN")) {
                    break;
                }
                before.add(instruction);
            }
            return before;
        }
    }

    /**
     * One instruction: its keyword, its leading {@code --name=value} flags, its arguments (split on white space, or
     * the elements of the JSON form) and the text after the flags as written (what a shell-form {@code RUN} runs).
     */
    public record Instruction(int line, String keyword, List<String> flags, List<String> arguments, String text,
                              boolean jsonForm) {

        boolean is(String name) {
            return keyword.equals(name);
        }

        Optional<String> flag(String name) {
            String prefix = "--" + name + "=";
            return flags.stream().filter(flag -> flag.startsWith(prefix)).map(flag -> flag.substring(prefix.length()))
                    .findFirst();
        }

        @Override
        public String toString() {
            return "line " + line + ": " + keyword + " " + (flags.isEmpty() ? "" : String.join(" ", flags) + " ")
                    + text;
        }
    }

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{(\\w+)}|\\$(\\w+)");
    private static final Pattern JSON_STRING = Pattern.compile("\"((?:\\\\.|[^\"\\\\])*)\"");

    /**
     * @param buildArgs the build arguments ({@code --build-arg}, compose's {@code args}): an {@code ARG} takes its
     *                  value from them, else from its default; {@code $NAME} and {@code ${NAME}} are replaced by the
     *                  values of the {@code ARG}s declared before, in the stage (or before the first FROM, for FROM)
     */
    public static Dockerfile read(Path path, Map<String, String> buildArgs) throws IOException {
        return parse(path, Files.readAllLines(path), buildArgs);
    }

    static Dockerfile parse(Path path, List<String> lines, Map<String, String> buildArgs) {
        var stages = new ArrayList<Stage>();
        List<Instruction> current = null;
        Map<String, String> global = new HashMap<>();
        Map<String, String> inStage = global;
        StringBuilder logical = new StringBuilder();
        int startLine = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            String trimmed = line.strip();
            if (logical.isEmpty() && (trimmed.isEmpty() || trimmed.startsWith("#"))) {
                continue;
            }
            if (!logical.isEmpty() && trimmed.startsWith("#")) {
                continue; // comment lines inside a continued instruction are dropped, as Docker does
            }
            if (logical.isEmpty()) {
                startLine = i + 1;
            }
            if (trimmed.endsWith("\\")) {
                logical.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            logical.append(trimmed);
            String text = logical.toString();
            // FROM sees the arguments declared before the first FROM; every other instruction its stage's.
            boolean from = text.regionMatches(true, 0, "FROM ", 0, 5);
            Instruction instruction = instruction(startLine, substitute(text, from ? global : inStage));
            logical.setLength(0);
            if (instruction.is("ARG")) {
                for (String declaration : instruction.arguments()) {
                    int equals = declaration.indexOf('=');
                    String name = equals < 0 ? declaration : declaration.substring(0, equals);
                    String value = buildArgs.getOrDefault(name, equals < 0 ? null : declaration.substring(equals + 1));
                    if (value != null) {
                        inStage.put(name, value);
                    }
                }
            }
            if (instruction.is("FROM")) {
                inStage = new HashMap<>();
                List<String> args = instruction.arguments();
                String name = args.size() >= 3 && args.get(1).equalsIgnoreCase("AS") ? args.get(2)
                        : String.valueOf(stages.size());
                current = new ArrayList<>();
                stages.add(new Stage(name, args.get(0), current));
            } else if (current == null) {
                if (!instruction.is("ARG")) {
                    throw new IllegalArgumentException(path + " line " + startLine + ": " + instruction.keyword()
                            + " before the first FROM");
                }
            } else {
                current.add(instruction);
            }
        }
        if (stages.isEmpty()) {
            throw new IllegalArgumentException(path + " has no FROM");
        }
        return new Dockerfile(path, List.copyOf(stages));
    }

    /** The text with {@code $NAME} and {@code ${NAME}} replaced by the arguments' values; an unset one is empty. */
    static String substitute(String text, Map<String, String> args) {
        return VARIABLE.matcher(text).replaceAll(variable -> Matcher.quoteReplacement(args.getOrDefault(
                variable.group(1) != null ? variable.group(1) : variable.group(2), "")));
    }

    private static Instruction instruction(int line, String text) {
        String[] keywordAndRest = text.split("\\s+", 2);
        String keyword = keywordAndRest[0].toUpperCase(Locale.ROOT);
        String rest = keywordAndRest.length > 1 ? keywordAndRest[1].strip() : "";
        var flags = new ArrayList<String>();
        while (rest.startsWith("--")) {
            String[] flagAndRest = rest.split("\\s+", 2);
            flags.add(flagAndRest[0]);
            rest = flagAndRest.length > 1 ? flagAndRest[1].strip() : "";
        }
        boolean json = rest.startsWith("[") && rest.endsWith("]");
        List<String> arguments = json ? jsonArray(rest) : List.of(rest.isEmpty() ? new String[0] : rest.split("\\s+"));
        return new Instruction(line, keyword, List.copyOf(flags), arguments, rest, json);
    }

    private static List<String> jsonArray(String text) {
        var elements = new ArrayList<String>();
        Matcher matcher = JSON_STRING.matcher(text);
        while (matcher.find()) {
            elements.add(matcher.group(1).replaceAll("\\\\(.)", "$1"));
        }
        return elements;
    }

    /** The last stage: the image that is shipped. */
    public Stage finalStage() {
        return stages.get(stages.size() - 1);
    }

    public Optional<Stage> stage(String name) {
        return stages.stream().filter(stage -> stage.name().equals(name)).findFirst();
    }
}
