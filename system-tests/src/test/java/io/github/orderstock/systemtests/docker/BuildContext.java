package io.github.orderstock.systemtests.docker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A build context as Docker sends it: a folder minus what its {@code .dockerignore} excludes. Patterns follow
 * Docker's rules: paths relative to the context, {@code *} and {@code ?} within one path element, {@code **} across
 * elements, {@code !} re-includes, the last matching pattern decides, and a pattern that matches a folder excludes
 * everything in it.
 */
public final class BuildContext {

    private record Rule(Pattern pattern, boolean exclude) {
    }

    private final Path root;
    private final List<Rule> rules;

    private BuildContext(Path root, List<Rule> rules) {
        this.root = root;
        this.rules = rules;
    }

    public static BuildContext of(Path root) throws IOException {
        Path ignore = root.resolve(".dockerignore");
        var rules = new ArrayList<Rule>();
        if (Files.exists(ignore)) {
            for (String line : Files.readAllLines(ignore)) {
                String pattern = line.strip();
                if (pattern.isEmpty() || pattern.startsWith("#")) {
                    continue;
                }
                boolean exclude = !pattern.startsWith("!");
                rules.add(new Rule(glob(clean(exclude ? pattern : pattern.substring(1))), exclude));
            }
        }
        return new BuildContext(root.toAbsolutePath().normalize(), List.copyOf(rules));
    }

    public Path root() {
        return root;
    }

    /** Whether Docker would leave this path (relative to the context, {@code /}-separated) out of the context. */
    boolean excluded(String relative) {
        boolean excluded = false;
        for (Rule rule : rules) {
            if (matchesOrParentMatches(rule.pattern(), relative)) {
                excluded = rule.exclude();
            }
        }
        return excluded;
    }

    private static boolean matchesOrParentMatches(Pattern pattern, String relative) {
        if (pattern.matcher(relative).matches()) {
            return true;
        }
        for (int slash = relative.indexOf('/'); slash >= 0; slash = relative.indexOf('/', slash + 1)) {
            if (pattern.matcher(relative.substring(0, slash)).matches()) {
                return true;
            }
        }
        return false;
    }

    /** The context paths a COPY source names (a path or a wildcard pattern); empty when there are none. */
    List<Path> sources(String source) throws IOException {
        String relative = clean(source);
        if (relative.equals("..") || relative.startsWith("../")) {
            throw new IllegalArgumentException("COPY source '" + source + "' lies outside the build context");
        }
        if (!hasWildcard(relative)) {
            Path path = relative.isEmpty() ? root : root.resolve(relative);
            boolean present = Files.exists(path, LinkOption.NOFOLLOW_LINKS) && (relative.isEmpty() || !excluded(relative));
            return present ? List.of(path) : List.of();
        }
        Pattern pattern = glob(relative);
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(path -> !path.equals(root))
                    .filter(path -> {
                        String name = relativeName(path);
                        return pattern.matcher(name).matches() && !excluded(name);
                    })
                    .sorted().toList();
        }
    }

    static boolean hasWildcard(String source) {
        return source.chars().anyMatch(c -> c == '*' || c == '?' || c == '[');
    }

    /**
     * Copies one source to its target as COPY does: a folder's contents (not the folder itself) into the target
     * folder, leaving out what the context excludes; a file with its permissions (so {@code mvnw} stays executable).
     */
    void copy(Path source, Path target) throws IOException {
        if (Files.isDirectory(source)) {
            try (Stream<Path> walk = Files.walk(source)) {
                for (Path path : (Iterable<Path>) walk::iterator) {
                    if (!path.equals(root) && excluded(relativeName(path))) { // inside a folder: parents count too
                        continue;
                    }
                    Path to = target.resolve(source.relativize(path).toString());
                    if (Files.isDirectory(path)) {
                        Files.createDirectories(to);
                    } else {
                        Files.createDirectories(to.getParent());
                        Files.copy(path, to, StandardCopyOption.COPY_ATTRIBUTES, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        } else {
            Files.createDirectories(target.getParent());
            Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    String relativeName(Path path) {
        return root.relativize(path).toString().replace('\\', '/');
    }

    /** Docker cleans every pattern and path like Go's filepath.Clean: no leading {@code /} or {@code ./}, no trailing {@code /}. */
    static String clean(String path) {
        String cleaned = Path.of("/" + path).normalize().toString().replace('\\', '/');
        return cleaned.equals("/") ? "" : cleaned.substring(1);
    }

    static Pattern glob(String pattern) {
        var regex = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '*' && i + 1 < pattern.length() && pattern.charAt(i + 1) == '*') {
                boolean slashFollows = i + 2 < pattern.length() && pattern.charAt(i + 2) == '/';
                regex.append(slashFollows ? "(?:.*/)?" : ".*");
                i += slashFollows ? 2 : 1;
            } else if (c == '*') {
                regex.append("[^/]*");
            } else if (c == '?') {
                regex.append("[^/]");
            } else if (c == '[') {
                int end = pattern.indexOf(']', i);
                if (end < 0) {
                    regex.append("\\[");
                } else {
                    String set = pattern.substring(i + 1, end);
                    regex.append('[').append(set.startsWith("^") ? "^" + set.substring(1).replace("\\", "\\\\")
                            : set.replace("\\", "\\\\")).append(']');
                    i = end;
                }
            } else if (c == '\\' && i + 1 < pattern.length()) {
                regex.append(Pattern.quote(String.valueOf(pattern.charAt(++i))));
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }
}
