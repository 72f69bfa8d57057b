package dev.netns.internal;

import java.util.stream.Collectors;

/** The caller's stack as text, without this library's own frames at the top. */
final class StackTraces {

    private StackTraces() {
    }

    static String ofCaller() {
        return StackWalker.getInstance().walk(frames -> frames
                .dropWhile(frame -> frame.getClassName().startsWith("dev.netns.internal.")
                        || frame.getClassName().equals("dev.netns.NsHandle")
                        || frame.getClassName().startsWith("dev.netns.NetnsRuntime"))
                .map(frame -> "\tat " + frame.toStackTraceElement())
                .collect(Collectors.joining("\n")));
    }
}
