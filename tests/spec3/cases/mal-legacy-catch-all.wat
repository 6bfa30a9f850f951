(module (func try catch_all catch_all end))
