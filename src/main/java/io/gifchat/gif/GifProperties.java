package io.gifchat.gif;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * GIF uploads.
 *
 * @param maxSize        largest upload accepted (413 above it)
 * @param maxSide        widest and tallest logical screen or frame, in pixels
 * @param maxFrames      most frames in one GIF
 * @param maxTotalPixels sum of width × height over all frames: what decoding would cost, the defence against bombs
 */
@ConfigurationProperties("gifchat.gif")
public record GifProperties(
        @DefaultValue("5MB") DataSize maxSize,
        @DefaultValue("4096") int maxSide,
        @DefaultValue("500") int maxFrames,
        @DefaultValue("200000000") long maxTotalPixels) {
}
