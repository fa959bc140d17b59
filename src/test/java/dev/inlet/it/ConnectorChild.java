package dev.inlet.it;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Interledger.js connector ({@link JsConnector}) with an Inlet as its BTP child: Inlet learns
 * its address from it over ILDCP (no {@code inlet.ilp-address}) and sends through it. Closing stops
 * Inlet, then the connector, whatever failed.
 */
record ConnectorChild(JsConnector connector, TestInlet inlet) implements AutoCloseable {

  /** Starts both; {@code extra} settings are added to Inlet's. */
  static ConnectorChild start(Path dataDir, Map<String, String> extra) throws Exception {
    JsConnector connector = JsConnector.start();
    try {
      Map<String, String> settings = new LinkedHashMap<>();
      settings.put("inlet.ilp-address", "");
      settings.put("inlet.uplink.url", connector.btpUrl());
      settings.put("inlet.uplink.ildcp-timeout", "30s");
      settings.putAll(extra);
      return new ConnectorChild(connector, TestInlet.start(dataDir, settings));
    } catch (Exception | Error e) {
      connector.close();
      throw e;
    }
  }

  @Override
  public void close() {
    try {
      inlet.close();
    } finally {
      connector.close();
    }
  }
}
