package io.gifchat.web.browser;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Random;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.ImageOutputStream;

/** Real animated GIFs written by the JDK's own GIF encoder, for upload tests. */
public final class TestGifs {

    private TestGifs() {
    }

    /** An animated GIF of {@code frames} noisy frames (noise compresses badly, so size grows with side²×frames). */
    public static byte[] animated(int side, int frames) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Random random = new Random(42);
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.prepareWriteSequence(null);
            for (int f = 0; f < frames; f++) {
                BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_BYTE_INDEXED);
                Graphics2D g = image.createGraphics();
                for (int y = 0; y < side; y += 4) {
                    for (int x = 0; x < side; x += 4) {
                        g.setColor(new Color(random.nextInt(0xffffff)));
                        g.fillRect(x, y, 4, 4);
                    }
                }
                g.dispose();
                IIOMetadata metadata = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(image), null);
                writer.writeToSequence(new IIOImage(image, null, metadata), null);
            }
            writer.endWriteSequence();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
