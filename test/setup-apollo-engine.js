// The integration-apollo jest project: gateways created by the test helpers use stock @apollo/gateway.
process.env.GATEWAY_ENGINE = 'apollo';
