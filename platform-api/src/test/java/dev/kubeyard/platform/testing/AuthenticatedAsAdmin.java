package dev.kubeyard.platform.testing;

import io.quarkus.test.junit.callback.QuarkusTestBeforeEachCallback;
import io.quarkus.test.junit.callback.QuarkusTestMethodContext;
import io.restassured.RestAssured;

/**
 * Makes the bootstrap admin the default identity of every REST Assured request of a {@code @QuarkusTest} (registered in
 * META-INF/services; it runs in the application's class loader, where the tests' REST Assured lives). A request that
 * says {@code .auth().oauth2(other)} or {@code .auth().none()} acts as someone else, or as nobody.
 */
public class AuthenticatedAsAdmin implements QuarkusTestBeforeEachCallback {

    @Override
    public void beforeEach(QuarkusTestMethodContext context) {
        RestAssured.authentication = RestAssured.oauth2(Identities.ADMIN_TOKEN);
    }
}
