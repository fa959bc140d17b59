package dev.inlet.it;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import javax.sql.DataSource;

/**
 * A real {@link DataSource} whose connections pass each SQL text given to {@code
 * prepareStatement(String)} through a hook first: to act at an exact point of the ledger writer's
 * work, or to change what it runs. Everything else goes to the real connection.
 */
final class StatementHooks {
  /** What runs on each SQL text before it is prepared; returns the text to prepare. */
  @FunctionalInterface
  interface Hook {
    String beforePrepare(String sql) throws Exception;
  }

  private StatementHooks() {}

  static DataSource wrap(DataSource real, Hook hook) {
    ClassLoader loader = StatementHooks.class.getClassLoader();
    return (DataSource)
        Proxy.newProxyInstance(
            loader,
            new Class<?>[] {DataSource.class},
            (ds, dsMethod, dsArgs) -> {
              Object result = forward(real, dsMethod, dsArgs);
              if (!(result instanceof Connection c)) {
                return result;
              }
              return Proxy.newProxyInstance(
                  loader,
                  new Class<?>[] {Connection.class},
                  (conn, method, args) -> {
                    if (method.getName().equals("prepareStatement") && args.length == 1) {
                      return c.prepareStatement(hook.beforePrepare((String) args[0]));
                    }
                    return forward(c, method, args);
                  });
            });
  }

  private static Object forward(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
