package dev.netns.testsupport;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * What one logger logs while this is open, caught by a logback list appender on that logger (the
 * events still reach the console too). Use with try-with-resources.
 */
public final class CapturedLog implements AutoCloseable {

    private final Logger logger;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    private CapturedLog(Class<?> source) {
        this.logger = (Logger) LoggerFactory.getLogger(source);
        appender.setName("captured-" + source.getName());
        appender.start();
        logger.addAppender(appender);
    }

    /** Starts catching what the logger of {@code source} logs. */
    public static CapturedLog of(Class<?> source) {
        return new CapturedLog(source);
    }

    /** The events caught so far, in order. */
    public List<ILoggingEvent> events() {
        synchronized (appender) { // ListAppender appends under the appender's lock
            return List.copyOf(appender.list);
        }
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        appender.stop();
    }
}
