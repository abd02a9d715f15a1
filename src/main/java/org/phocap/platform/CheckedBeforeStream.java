package org.phocap.platform;

import jakarta.ws.rs.NameBinding;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Runs the named {@link StreamAccess} check before an SSE method's stream opens (see {@link StreamAccessFilter}). */
@NameBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface CheckedBeforeStream {
    Class<? extends StreamAccess> value() default StreamAccess.class;
}
