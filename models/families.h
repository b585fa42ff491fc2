// Internal to models/: one builder per architecture, registered in zoo.cpp. Each takes validated ModelOptions
// (batch, size, num_classes >= 1) and returns the graph with its output value named "output" [batch, num_classes].
#pragma once
#include <string>

#include "models/builder.h"
#include "models/zoo.h"

namespace rs::models {

/// "prefix.i", torchvision's name of child i of an nn.Sequential.
inline std::string indexed(const std::string& prefix, int i) { return prefix + "." + std::to_string(i); }

/// The graph input "input" [batch, 3, size, size].
inline int image_input(GraphBuilder& b, const ModelOptions& o) {
  return b.input("input", {o.batch, 3, o.size, o.size});
}

/// AdaptiveAvgPool2d((1, 1)) named `pool_name`, then torch.flatten(x, 1) named "flatten": [N, C, H, W] -> [N, C].
inline int pool_flatten(GraphBuilder& b, int x, const std::string& pool_name) {
  return b.flatten(b.global_avgpool(x, pool_name), "flatten");
}

Graph resnet18(const ModelOptions& o);            // resnet.cpp
Graph resnet50(const ModelOptions& o);            // resnet.cpp
Graph mobilenet_v1(const ModelOptions& o);        // mobilenet.cpp
Graph mobilenet_v2(const ModelOptions& o);        // mobilenet.cpp
Graph mobilenet_v3_small(const ModelOptions& o);  // mobilenet.cpp
Graph vgg16(const ModelOptions& o);               // vgg.cpp
Graph squeezenet1_1(const ModelOptions& o);       // squeezenet.cpp

}  // namespace rs::models
