package io.github.orderstock.devstack;

/**
 * A Java agent in every child: when the launcher's JVM is gone (killed, so its shutdown hook never ran), the child
 * exits too instead of holding its port and memory. Packed alone into a small jar by {@link Jvm}, so that it adds
 * nothing else to a service's class path.
 */
public final class ParentWatch {

    private ParentWatch() {
    }

    /** {@code -javaagent:parent-watch.jar=<launcher pid>} */
    public static void premain(String launcherPid) {
        ProcessHandle.of(Long.parseLong(launcherPid.trim())).ifPresentOrElse(
                launcher -> launcher.onExit().thenRun(ParentWatch::exit),
                ParentWatch::exit);
    }

    private static void exit() {
        System.err.println("The dev-stack launcher is gone; exiting.");
        System.exit(143);
    }
}
