package com.intellij.openapi.components;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Stub of platform/projectModel-api/src/com/intellij/openapi/components/Storage.java (the members used). */
@Retention(RetentionPolicy.RUNTIME)
@Target({})
public @interface Storage {
    String value() default "";
}
