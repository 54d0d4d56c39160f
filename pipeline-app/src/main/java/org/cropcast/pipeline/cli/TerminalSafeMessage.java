package org.cropcast.pipeline.cli;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import org.cropcast.tracking.Redactor;
import org.cropcast.tracking.TerminalText;

/**
 * The log line's message ({@code %safemsg} in logback.xml) redacted and on one line, every
 * control, bidi or line-break character of it shown escaped: a message quoting outside data
 * (a server's answer, a file name) cannot forge a log line or send an escape sequence to the
 * terminal.
 */
public final class TerminalSafeMessage extends ClassicConverter {
    @Override
    public String convert(ILoggingEvent event) {
        return TerminalText.visible(Redactor.redact(event.getFormattedMessage()));
    }
}
