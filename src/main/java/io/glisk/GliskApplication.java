package io.glisk;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class GliskApplication {

    public static void main(String[] args) {
        SpringApplication.run(GliskApplication.class, args);
    }
}
