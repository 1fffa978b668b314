#!/usr/bin/env Rscript
# A model written in R (base R only), served by Palladium-TS through ExternalModel.
#
# It speaks the JSON-lines protocol of docs/external-models.md on stdin/stdout: one request per
# line, one answer per line with the request's id. Messages go to stderr (stdout is the protocol).
# Base R has no JSON or base64, so both are here in a few lines each.
#
# Classifier: nearest centroid on standardised features, probabilities from a softmax of the
# negative squared distances. Regressor: least squares (qr.solve). The fitted state travels as
# JSON text (base64 in the protocol), never as R's serialize(), so loading it runs no code.

# ---- JSON ------------------------------------------------------------------------------------
json_parse <- function(text) {
  tokens <- regmatches(text, gregexpr('"(?:[^"\\\\]|\\\\.)*"|-?[0-9][0-9.eE+-]*|true|false|null|[][{}:,]', text, perl = TRUE))[[1]]
  k <- 1L
  take <- function() { t <- tokens[k]; k <<- k + 1L; t }
  value <- function() {
    t <- take()
    if (t == "{") {
      out <- list()
      if (tokens[k] == "}") { k <<- k + 1L; return(out) }
      repeat {
        key <- unquote(take()); take()
        out[key] <- list(value())
        if (take() == "}") break
      }
      return(out)
    }
    if (t == "[") {
      items <- list()
      if (tokens[k] == "]") { k <<- k + 1L; return(items) }
      repeat {
        items[[length(items) + 1L]] <- value()
        if (take() == "]") break
      }
      # Arrays of scalars become vectors (null -> NA); anything else stays a list.
      if (all(vapply(items, function(x) is.atomic(x) && length(x) == 1L, TRUE))) return(unlist(items))
      return(items)
    }
    if (startsWith(t, '"')) return(unquote(t))
    if (t == "null") return(NA)
    if (t == "true") return(TRUE)
    if (t == "false") return(FALSE)
    as.numeric(t)
  }
  value()
}

unquote <- function(t) {
  x <- substr(t, 2L, nchar(t) - 1L)
  if (!grepl("\\", x, fixed = TRUE)) return(x)
  x <- gsub("\\\\u([0-9a-fA-F]{4})", "\\\\U{\\1}", x)
  x <- gsub('\\\\(["/])', "\\1", x)
  x <- gsub("\\\\n", "\n", x)
  x <- gsub("\\\\t", "\t", x)
  x <- gsub("\\\\U\\{([0-9a-fA-F]{4})\\}", "", x) # rare in this protocol; dropped rather than mis-decoded
  gsub("\\\\\\\\", "\\\\", x)
}

quote_str <- function(x) paste0('"', gsub("\n", "\\\\n", gsub('(["\\\\])', "\\\\\\1", x)), '"')

# Lists with names are objects, lists without are arrays; atomic vectors are arrays unless length 1.
to_json <- function(x, scalar = TRUE) {
  if (is.null(x)) return("null")
  if (is.list(x)) {
    if (length(x) == 0L) return(if (is.null(names(x))) "[]" else "{}")
    if (!is.null(names(x))) return(paste0("{", paste0(quote_str(names(x)), ":", vapply(x, to_json, ""), collapse = ","), "}"))
    return(paste0("[", paste(vapply(x, to_json, ""), collapse = ","), "]"))
  }
  items <- if (is.character(x)) ifelse(is.na(x), "null", quote_str(x))
    else if (is.logical(x)) ifelse(is.na(x), "null", ifelse(x, "true", "false"))
    else ifelse(is.finite(x), sprintf("%.17g", x), "null")
  if (scalar && length(x) == 1L && !inherits(x, "AsIs")) return(items)
  paste0("[", paste(items, collapse = ","), "]")
}

# ---- base64 ----------------------------------------------------------------------------------
B64 <- c(LETTERS, letters, as.character(0:9), "+", "/")

b64_encode <- function(bytes) {
  b <- as.integer(bytes); pad <- (3L - length(b) %% 3L) %% 3L
  m <- matrix(c(b, rep(0L, pad)), nrow = 3L)
  v <- m[1L, ] * 65536L + m[2L, ] * 256L + m[3L, ]
  out <- B64[rbind(v %/% 262144L, (v %/% 4096L) %% 64L, (v %/% 64L) %% 64L, v %% 64L) + 1L]
  if (pad > 0L) out[(length(out) - pad + 1L):length(out)] <- "="
  paste(out, collapse = "")
}

b64_decode <- function(text) {
  ch <- strsplit(text, "")[[1]]
  pad <- sum(ch == "=")
  v4 <- match(ch, B64) - 1L
  v4[is.na(v4)] <- 0L
  m <- matrix(v4, nrow = 4L)
  v <- m[1L, ] * 262144L + m[2L, ] * 4096L + m[3L, ] * 64L + m[4L, ]
  b <- as.vector(rbind(v %/% 65536L, (v %/% 256L) %% 256L, v %% 256L))
  as.raw(b[seq_len(length(b) - pad)])
}

# ---- the model -------------------------------------------------------------------------------
model <- NULL

as_matrix <- function(X) {
  for (name in names(X)) {
    if (anyNA(X[[name]])) stop(sprintf("column '%s' has missing values; impute them first", name))
    if (!is.numeric(X[[name]])) stop(sprintf("column '%s' is not numeric", name))
  }
  matrix(unlist(X, use.names = FALSE), ncol = length(X))
}

distances <- function(X) {
  Z <- sweep(sweep(X, 2L, model$mean), 2L, model$scale, "/")
  C <- matrix(model$centroids, nrow = length(model$classes))
  sapply(seq_len(nrow(C)), function(k) rowSums(sweep(Z, 2L, C[k, ])^2))
}

fit <- function(X, y, type) {
  if (type == "classifier") {
    classes <- sort(unique(y), method = "radix") # code-point order, as Palladium-TS sorts labels
    mean <- colMeans(X)
    scale <- apply(X, 2L, function(col) sqrt(mean((col - mean(col))^2))) + 1e-12
    Z <- sweep(sweep(X, 2L, mean), 2L, scale, "/")
    centroids <- t(sapply(classes, function(c) colMeans(Z[y == c, , drop = FALSE])))
    model <<- list(type = type, classes = I(classes), mean = I(mean), scale = I(scale), centroids = I(as.vector(centroids)))
    return(list(classes = I(classes)))
  }
  model <<- list(type = type, coef = I(qr.solve(cbind(X, 1), as.numeric(y))))
  setNames(list(), character())
}

predict_rows <- function(X) {
  if (model$type == "regressor") return(I(as.vector(cbind(X, 1) %*% model$coef)))
  d <- matrix(distances(X), nrow = nrow(X))
  I(model$classes[max.col(-d, ties.method = "first")])
}

predict_proba_rows <- function(X) {
  logits <- -matrix(distances(X), nrow = nrow(X))
  p <- exp(logits - apply(logits, 1L, max))
  p <- p / rowSums(p)
  lapply(seq_len(nrow(p)), function(i) I(p[i, ]))
}

handle <- function(request) {
  op <- request$op
  if (op == "fit") return(fit(as_matrix(request$X), request$y, request$type))
  if (op == "predict") return(list(predictions = predict_rows(as_matrix(request$X))))
  if (op == "predict_proba") return(list(probabilities = predict_proba_rows(as_matrix(request$X))))
  if (op == "save") return(list(state = b64_encode(charToRaw(to_json(model)))))
  if (op == "load") {
    state <- json_parse(rawToChar(b64_decode(request$state)))
    model <<- state
    return(setNames(list(), character()))
  }
  stop(sprintf("unknown op '%s'", op))
}

# Ends when stdin closes: the server or `pld` that started this process is gone.
input <- file("stdin", open = "r")
while (length(line <- readLines(input, n = 1L, warn = FALSE)) > 0L) {
  if (!nzchar(trimws(line))) next
  request <- json_parse(line)
  answer <- tryCatch(
    list(id = request$id, result = handle(request)),
    error = function(e) list(id = request$id, error = conditionMessage(e))
  )
  cat(to_json(answer), "\n", sep = "")
  flush(stdout())
}
