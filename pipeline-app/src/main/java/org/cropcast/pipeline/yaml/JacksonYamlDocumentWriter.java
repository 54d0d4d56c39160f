package org.cropcast.pipeline.yaml;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cropcast.tracking.CropcastException;
import org.cropcast.tracking.DocumentWriter;
import org.cropcast.tracking.TrackingErrorCode;

/** Core's {@link DocumentWriter} port with Jackson YAML: block style, keys in insertion order, no document marker. */
public final class JacksonYamlDocumentWriter implements DocumentWriter {
    private static final TypeReference<LinkedHashMap<String, Object>> DOCUMENT = new TypeReference<>() {};

    private final YAMLMapper mapper;

    public JacksonYamlDocumentWriter() {
        YAMLFactory factory = YAMLFactory.builder()
                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
                .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
                .build();
        this.mapper = new YAMLMapper(factory);
        mapper.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        mapper.disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    }

    @Override
    public void write(Map<String, ?> document, OutputStream out) {
        try {
            mapper.writeValue(out, document);
        } catch (IOException e) {
            throw new CropcastException(TrackingErrorCode.STORAGE_FAILURE, "cannot write YAML document: " + e.getMessage(), e);
        }
    }

    /** A run record is a few KiB; anything this large is not one. */
    static final long MAX_DOCUMENT_BYTES = 16L << 20;

    @Override
    public Map<String, Object> read(InputStream in) {
        try {
            Map<String, Object> document = mapper.readValue(org.cropcast.tracking.BoundedReads.limited(in, MAX_DOCUMENT_BYTES,
                    () -> new CropcastException(TrackingErrorCode.INVALID_ARGUMENT,
                            "cannot read YAML document: it is larger than " + MAX_DOCUMENT_BYTES / (1024 * 1024) + " MiB")), DOCUMENT);
            return document == null ? new LinkedHashMap<>() : document;
        } catch (IOException e) {
            throw new CropcastException(TrackingErrorCode.INVALID_ARGUMENT, "cannot read YAML document: " + e.getMessage(), e);
        }
    }
}
