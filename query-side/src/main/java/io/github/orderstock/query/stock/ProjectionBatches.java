package io.github.orderstock.query.stock;

import org.axonframework.config.EventProcessingConfigurer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Configuration;

/**
 * Runs around every event of the projection's processor, also events it has no handler for: the projection reads
 * where to write at the first event of a batch, and sends the batch's writes after its last one
 * ({@link ProductStockProjection#beforeEventOfBatch}, {@link ProductStockProjection#afterEventOfBatch}), then switches
 * to a rebuilt read model if the batch completed a replay.
 */
@Configuration(proxyBeanMethods = false)
class ProjectionBatches {

    /** The projection is looked up per event: Axon builds its processors before the projection bean exists. */
    @Autowired
    void aroundEveryEventOfTheProjection(EventProcessingConfigurer processing,
                                         ObjectProvider<ProductStockProjection> projection) {
        processing.registerHandlerInterceptor(ProductStockProjection.PROCESSING_GROUP,
                configuration -> (unitOfWork, chain) -> {
                    projection.getObject().beforeEventOfBatch(unitOfWork);
                    Object result = chain.proceed();
                    projection.getObject().afterEventOfBatch(unitOfWork);
                    return result;
                });
    }
}
