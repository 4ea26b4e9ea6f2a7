package dev.ferrymq.server;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import java.net.URL;
import java.util.Locale;
import org.slf4j.LoggerFactory;

/**
 * The node's log format and level, applied to logback once the configuration is known (logback starts from
 * {@code logback.xml} as soon as the first logger is made, with {@code FERRYMQ_LOG_FORMAT}/{@code FERRYMQ_LOG_LEVEL}
 * of the environment; a config file or a flag may say otherwise).
 */
final class Logs {

  /** One line of text per event. */
  static final String TEXT = "text";
  /** One JSON object per line (logback's {@code JsonEncoder}). */
  static final String JSON = "json";

  private Logs() {
  }

  /** @return what {@code ${name}} stood for in the last configuration: as logback looks it up, else the default */
  private static String current(LoggerContext context, String name, String def) {
    String v = context.getProperty(name);
    if (v == null) {
      v = System.getProperty(name);
    }
    if (v == null) {
      v = System.getenv(name);
    }
    return v == null ? def : v;
  }

  /** @return {@code format} in lower case if it is {@link #TEXT} or {@link #JSON} */
  static String checkFormat(String format) {
    String f = format.toLowerCase(Locale.ROOT);
    if (!f.equals(TEXT) && !f.equals(JSON)) {
      throw new ConfigException("log.format must be \"text\" or \"json\", was \"" + format + "\"");
    }
    return f;
  }

  /** @return {@code level} in upper case if logback knows it */
  static String checkLevel(String level) {
    String l = level.toUpperCase(Locale.ROOT);
    if (!l.matches("TRACE|DEBUG|INFO|WARN|ERROR|OFF")) {
      throw new ConfigException("log.level must be one of TRACE, DEBUG, INFO, WARN, ERROR, OFF, was \"" + level + "\"");
    }
    return l;
  }

  /**
   * Configures logback again from the node's {@code logback.xml} with this format and level. Does nothing when the
   * backend is not logback, or when {@code -Dlogback.configurationFile} names the operator's own file.
   */
  static void apply(String format, String level) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)
      || System.getProperty("logback.configurationFile") != null) {
      return;
    }
    if (format.equals(current(context, "FERRYMQ_LOG_FORMAT", TEXT)) && level.equals(current(context,
      "FERRYMQ_LOG_LEVEL", "INFO"))) {
      return; // as logback started (or was last set): no second configuration on the way to a quick start
    }
    URL xml = Logs.class.getResource("/logback.xml");
    if (xml == null) {
      return;
    }
    context.reset();
    context.putProperty("FERRYMQ_LOG_FORMAT", format);
    context.putProperty("FERRYMQ_LOG_LEVEL", level);
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    try {
      configurator.doConfigure(xml);
    } catch (JoranException e) {
      System.err.println("ferrymq: could not configure logging: " + e.getMessage());
    }
  }
}
